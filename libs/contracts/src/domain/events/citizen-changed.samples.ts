import type { CitizenChanged, CitizenEventType } from './citizen-changed.event';

const BASE: CitizenChanged = {
  eventId: '6f1c1d2e-8a4b-4c55-9a70-2f4d3b1e0a01',
  eventType: 'BIRTH_REGISTERED',
  eventKind: 'OTHER',
  personalId: '066225004211',
  version: 1,
  occurredAt: Date.UTC(2025, 6, 14, 2, 0, 0),
  recordedAt: Date.UTC(2025, 6, 14, 2, 0, 3),
  sourceAgency: 'UBND Phường Buôn Ma Thuột',
  changedFields: [],
  fullName: 'Y Thịnh Niê',
  familyName: 'Niê',
  middleName: null,
  givenName: 'Y Thịnh',
  dateOfBirth: '2025-07-10',
  gender: 'MALE',
  ethnicity: 'Ê Đê',
  nationality: 'VN',
  birthRegistrationPlace: { legacyProvincePrefix: '066', provinceCode: '66', communeCode: '24133' },
  permanentResidence: {
    provinceCode: '66',
    communeCode: '24133',
    addressLine: '12 Lê Duẩn, tổ dân phố 3',
  },
  temporaryResidence: null,
  maritalStatus: 'SINGLE',
  spouseId: null,
  fatherId: '066090001234',
  motherId: '054195004321',
  status: 'ALIVE',
  dateOfDeath: null,
  idCardNumber: null,
  idCardIssuedOn: null,
  idCardExpiresOn: null,
  successorId: null,
  electronicIdLevel: null,
};

const ADULT: Partial<CitizenChanged> = {
  personalId: '079192001122',
  fullName: 'Trần Thị Ngọc Ánh',
  familyName: 'Trần',
  middleName: 'Thị Ngọc',
  givenName: 'Ánh',
  dateOfBirth: '1992-12-01',
  gender: 'FEMALE',
  ethnicity: 'Kinh',
  birthRegistrationPlace: { legacyProvincePrefix: '079', provinceCode: '79', communeCode: null },
  permanentResidence: {
    provinceCode: '79',
    communeCode: '26740',
    addressLine: '45 Nguyễn Huệ',
  },
  fatherId: null,
  motherId: null,
  idCardNumber: '079192001122',
  idCardIssuedOn: '2021-04-20',
  idCardExpiresOn: '2032-12-01',
  electronicIdLevel: 2,
  version: 7,
};

const BY_TYPE: Record<CitizenEventType, Partial<CitizenChanged>> = {
  BIRTH_REGISTERED: {
    changedFields: ['fullName', 'dateOfBirth', 'permanentResidence', 'fatherId', 'motherId'],
  },
  DEATH_REGISTERED: {
    ...ADULT,
    status: 'DECEASED',
    dateOfDeath: '2025-09-02',
    changedFields: ['status', 'dateOfDeath'],
  },
  NAME_CHANGED: {
    ...ADULT,
    fullName: 'Trần Ngọc Ánh',
    middleName: 'Ngọc',
    changedFields: ['fullName', 'middleName'],
  },
  PERMANENT_RESIDENCE_CHANGED: {
    ...ADULT,
    permanentResidence: { provinceCode: '01', communeCode: '00070', addressLine: '8 Hàng Bài' },
    changedFields: ['permanentResidence'],
  },
  TEMPORARY_RESIDENCE_CHANGED: {
    ...ADULT,
    temporaryResidence: {
      provinceCode: '66',
      communeCode: '22015',
      addressLine: '3 Trần Hưng Đạo',
    },
    changedFields: ['temporaryResidence'],
  },
  MARITAL_STATUS_CHANGED: {
    ...ADULT,
    maritalStatus: 'MARRIED',
    spouseId: '001090012345',
    changedFields: ['maritalStatus', 'spouseId'],
  },
  ID_CARD_ISSUED: {
    ...ADULT,
    idCardIssuedOn: '2025-08-01',
    idCardExpiresOn: '2032-12-01',
    changedFields: ['idCardNumber', 'idCardIssuedOn', 'idCardExpiresOn'],
  },
  RECORD_CORRECTED: { ...ADULT, ethnicity: 'Hoa', changedFields: ['ethnicity'] },
  RECORDS_MERGED: { ...ADULT, successorId: '079192009988', changedFields: ['successorId'] },
  ID_NUMBER_REISSUED: {
    ...ADULT,
    successorId: '079092118034', // e.g. after gender re-determination: new number, new serial
    changedFields: ['successorId'],
  },
};

/**
 * A realistic CitizenChanged of each type (valid ID numbers, real commune codes), for
 * tests and contract checks. Never personal data of real people.
 */
export function sampleCitizenChanged(
  eventType: CitizenEventType,
  overrides: Partial<CitizenChanged> = {},
): CitizenChanged {
  return { ...BASE, ...BY_TYPE[eventType], eventType, ...overrides };
}
