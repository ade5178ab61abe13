import type { Citizen } from './citizen';

/** A valid ACTIVE record for unit specs; override what the test is about. */
export const citizen = (over: Partial<Citizen>): Citizen => ({
  personalId: '001090000001',
  version: 1,
  status: 'ACTIVE',
  fullName: 'Nguyễn Văn An',
  gender: 'MALE',
  dateOfBirth: '1990-01-01',
  birthRegistrationCommuneCode: '00070',
  hometownCommuneCode: null,
  ethnicity: 'Kinh',
  religion: null,
  nationality: 'VN',
  fatherId: null,
  motherId: null,
  maritalStatus: 'SINGLE',
  spouseId: null,
  permanentResidence: null,
  temporaryResidence: null,
  identityCard: null,
  dateOfDeath: null,
  replacedBy: null,
  previousPersonalIds: [],
  ...over,
});
