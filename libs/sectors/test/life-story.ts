import { sampleCitizenChanged, type CitizenChanged } from '@bus/contracts';

export const PERSON = '079201012345';
export const FATHER = '079075001111';
export const MOTHER = '079178002222';
export const SPOUSE = '001300003333';

const at = (iso: string) => Date.parse(`${iso}T03:00:00Z`);

/** Birth, temporary residence, CCCD, marriage, move, name correction, death: versions 1..7. */
export function lifeStory(): CitizenChanged[] {
  let state: CitizenChanged = sampleCitizenChanged('BIRTH_REGISTERED', {
    eventId: 'story-1',
    personalId: PERSON,
    version: 1,
    occurredAt: at('2001-05-25'),
    recordedAt: at('2001-05-25'),
    fullName: 'Lê Văn Minh',
    familyName: 'Lê',
    middleName: 'Văn',
    givenName: 'Minh',
    dateOfBirth: '2001-05-20',
    gender: 'MALE',
    ethnicity: 'Kinh',
    birthRegistrationPlace: { legacyProvincePrefix: '079', provinceCode: '79', communeCode: null },
    permanentResidence: { provinceCode: '79', communeCode: '26740', addressLine: '10 Lý Tự Trọng' },
    fatherId: FATHER,
    motherId: MOTHER,
  });
  const events = [state];
  const next = (changes: Partial<CitizenChanged>, day: string) => {
    state = {
      ...state,
      ...changes,
      eventId: `story-${state.version + 1}`,
      version: state.version + 1,
      occurredAt: at(day),
      recordedAt: at(day) + 5_000,
    };
    events.push(state);
  };
  next(
    {
      eventType: 'TEMPORARY_RESIDENCE_CHANGED',
      temporaryResidence: { provinceCode: '66', communeCode: '24133', addressLine: '5 Lê Duẩn' },
      changedFields: ['temporaryResidence'],
    },
    '2019-09-01',
  );
  next(
    {
      eventType: 'ID_CARD_ISSUED',
      idCardNumber: PERSON,
      idCardIssuedOn: '2021-06-01',
      idCardExpiresOn: '2026-05-20',
      changedFields: ['idCardNumber', 'idCardIssuedOn', 'idCardExpiresOn'],
    },
    '2021-06-01',
  );
  next(
    {
      eventType: 'MARITAL_STATUS_CHANGED',
      maritalStatus: 'MARRIED',
      spouseId: SPOUSE,
      changedFields: ['maritalStatus', 'spouseId'],
    },
    '2026-02-14',
  );
  next(
    {
      eventType: 'PERMANENT_RESIDENCE_CHANGED',
      permanentResidence: { provinceCode: '01', communeCode: '00070', addressLine: '8 Hàng Bài' },
      temporaryResidence: null,
      changedFields: ['permanentResidence', 'temporaryResidence'],
    },
    '2026-03-10',
  );
  next(
    {
      eventType: 'RECORD_CORRECTED',
      fullName: 'Lê Văn Mạnh',
      givenName: 'Mạnh',
      changedFields: ['fullName', 'givenName'],
    },
    '2026-04-02',
  );
  next(
    {
      eventType: 'DEATH_REGISTERED',
      status: 'DECEASED',
      dateOfDeath: '2026-06-01',
      changedFields: ['status', 'dateOfDeath'],
    },
    '2026-06-02',
  );
  return events;
}
