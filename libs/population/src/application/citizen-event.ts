import {
  currentProvinceOfIdPrefix,
  findCommune,
  type Address,
  type CitizenChanged,
  type CitizenEventType,
  type CitizenStateField,
} from '@bus/contracts';
import type { ChangeType, Citizen, CitizenState, Residence } from '../domain/citizen';
import { changedFields } from '../domain/citizen';
import type { RecordedChange } from './population.ports';

/**
 * The outbox payload is the Avro `CitizenChanged` record itself (as JSON): the full state
 * after the change, which is what lets the compacted master topic double as a snapshot.
 * The relay only frames it; nothing is computed at publish time.
 */
export type CitizenChangedPayload = CitizenChanged;

export const CITIZEN_AGGREGATE = 'citizen';

/** The contract's coarser event types; the history keeps the finer change type. */
const EVENT_TYPE: Record<ChangeType, CitizenEventType> = {
  BIRTH_REGISTERED: 'BIRTH_REGISTERED',
  // An initial load brings an existing record onto the bus: not a birth (sectors act on
  // births, e.g. the under-6 health card), but a record whose full state is authoritative.
  // Its own kind travels in eventKind (schema v3); RECORD_CORRECTED keeps v1/v2 readers,
  // whose eventType enum cannot take a new symbol, reading a full state.
  INITIAL_LOAD: 'RECORD_CORRECTED',
  DEATH_REGISTERED: 'DEATH_REGISTERED',
  NAME_CHANGED: 'NAME_CHANGED',
  PERMANENT_RESIDENCE_REGISTERED: 'PERMANENT_RESIDENCE_CHANGED',
  TEMPORARY_RESIDENCE_REGISTERED: 'TEMPORARY_RESIDENCE_CHANGED',
  MARRIED: 'MARITAL_STATUS_CHANGED',
  DIVORCED: 'MARITAL_STATUS_CHANGED',
  WIDOWED: 'MARITAL_STATUS_CHANGED',
  ID_CARD_ISSUED: 'ID_CARD_ISSUED',
  RECORD_CORRECTED: 'RECORD_CORRECTED',
  RECORD_MERGED: 'RECORDS_MERGED',
  RECORD_RETIRED: 'RECORDS_MERGED',
  PERSONAL_ID_REISSUED: 'ID_NUMBER_REISSUED',
  PERSONAL_ID_CANCELLED: 'ID_NUMBER_REISSUED',
};

/** Which contract fields each domain field feeds, for `changedFields`. */
const WIRE_FIELDS: Partial<Record<keyof CitizenState, CitizenStateField[]>> = {
  fullName: ['fullName', 'familyName', 'middleName', 'givenName'],
  gender: ['gender'],
  dateOfBirth: ['dateOfBirth'],
  birthRegistrationCommuneCode: ['birthRegistrationPlace'],
  ethnicity: ['ethnicity'],
  nationality: ['nationality'],
  fatherId: ['fatherId'],
  motherId: ['motherId'],
  maritalStatus: ['maritalStatus'],
  spouseId: ['spouseId'],
  permanentResidence: ['permanentResidence'],
  temporaryResidence: ['temporaryResidence'],
  identityCard: ['idCardNumber', 'idCardIssuedOn', 'idCardExpiresOn'],
  status: ['status'],
  dateOfDeath: ['dateOfDeath'],
  replacedBy: ['successorId'],
};

/** Vietnamese order: family name first, given name last, middle names between. */
export function splitFullName(
  fullName: string,
): Pick<CitizenChanged, 'familyName' | 'middleName' | 'givenName'> {
  const parts = fullName.split(' ');
  if (parts.length === 1) return { familyName: fullName, middleName: null, givenName: fullName };
  return {
    familyName: parts[0]!,
    middleName: parts.length > 2 ? parts.slice(1, -1).join(' ') : null,
    givenName: parts[parts.length - 1]!,
  };
}

function address(residence: Residence | null): Address | null {
  if (residence === null) return null;
  const provinceCode = findCommune(residence.communeCode)?.provinceCode ?? '';
  return { provinceCode, communeCode: residence.communeCode, addressLine: residence.address };
}

/** Midnight in Vietnam (UTC+7) on a civil date, as epoch milliseconds. */
export function civilDateMillis(date: string): number {
  return Date.parse(`${date}T00:00:00+07:00`);
}

export function toWireState(
  citizen: Citizen,
): Omit<CitizenChanged, keyof import('@bus/contracts').CitizenChangedEnvelope> {
  const prefix = citizen.personalId.slice(0, 3);
  const birthCommune = findCommune(citizen.birthRegistrationCommuneCode);
  return {
    fullName: citizen.fullName,
    ...splitFullName(citizen.fullName),
    dateOfBirth: citizen.dateOfBirth,
    gender: citizen.gender,
    ethnicity: citizen.ethnicity,
    nationality: citizen.nationality,
    birthRegistrationPlace: {
      legacyProvincePrefix: prefix,
      provinceCode: birthCommune?.provinceCode ?? currentProvinceOfIdPrefix(prefix)?.code ?? '',
      communeCode: birthCommune?.code ?? null,
    },
    permanentResidence: address(citizen.permanentResidence),
    temporaryResidence: address(citizen.temporaryResidence),
    maritalStatus: citizen.maritalStatus,
    spouseId: citizen.spouseId,
    fatherId: citizen.fatherId,
    motherId: citizen.motherId,
    // A retired (merged, cancelled) record never travels as alive when it records a death.
    status: citizen.status === 'DECEASED' || citizen.dateOfDeath !== null ? 'DECEASED' : 'ALIVE',
    dateOfDeath: citizen.dateOfDeath,
    idCardNumber: citizen.identityCard?.number ?? null,
    idCardIssuedOn: citizen.identityCard?.issuedOn ?? null,
    idCardExpiresOn: citizen.identityCard?.expiresOn ?? null,
    successorId: citizen.replacedBy,
    electronicIdLevel: null,
  };
}

export function citizenChangedPayload(recorded: RecordedChange): CitizenChangedPayload {
  const { eventId, change, recordedAt, sourceAgency } = recorded;
  const fields = changedFields(change.before, change.after).flatMap(
    (field) => WIRE_FIELDS[field as keyof CitizenState] ?? [],
  );
  return {
    eventId,
    eventType: EVENT_TYPE[change.changeType],
    eventKind: change.changeType === 'INITIAL_LOAD' ? 'INITIAL_LOAD' : 'OTHER',
    personalId: change.after.personalId,
    version: change.after.version,
    occurredAt: civilDateMillis(change.effectiveOn),
    recordedAt: recordedAt.getTime(),
    sourceAgency,
    changedFields: [...new Set(fields)],
    ...toWireState(change.after),
  };
}

/**
 * The citizen's current state as one event in the initial-load form (RECORD_CORRECTED,
 * eventKind INITIAL_LOAD, every field): what the share router delivers as the fill when a
 * sector starts following the citizen. It carries the record's current version, so a
 * sector's version check orders it against the routed changes (docs/ledger.md).
 */
export function currentStatePayload(
  citizen: Citizen,
  eventId: string,
  at: Date,
): CitizenChangedPayload {
  const fields = Object.values(WIRE_FIELDS).flat();
  return {
    eventId,
    eventType: 'RECORD_CORRECTED',
    eventKind: 'INITIAL_LOAD',
    personalId: citizen.personalId,
    version: citizen.version,
    occurredAt: at.getTime(),
    recordedAt: at.getTime(),
    sourceAgency: 'national-population',
    changedFields: [...new Set(fields)],
    ...toWireState(citizen),
  };
}

/** The history row's "what changed": each field's value before and after. */
export function changeDiff({
  change,
}: RecordedChange): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of changedFields(change.before, change.after)) {
    if (field === 'version') continue;
    const key = field as keyof CitizenState;
    diff[field] = { from: change.before?.[key] ?? null, to: change.after[key] };
  }
  return diff;
}
