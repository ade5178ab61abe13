import type { Gender } from '../personal-id/personal-id';

/**
 * TypeScript view of `vn.gov.population.events.CitizenChanged` (schemas/citizen-changed/,
 * latest version). A spec checks that these lists match the .avsc files.
 */
export const CITIZEN_EVENT_TYPES = [
  'BIRTH_REGISTERED',
  'DEATH_REGISTERED',
  'NAME_CHANGED',
  'PERMANENT_RESIDENCE_CHANGED',
  'TEMPORARY_RESIDENCE_CHANGED',
  'MARITAL_STATUS_CHANGED',
  'ID_CARD_ISSUED',
  'RECORD_CORRECTED',
  'RECORDS_MERGED',
  'ID_NUMBER_REISSUED',
] as const;
export type CitizenEventType = (typeof CITIZEN_EVENT_TYPES)[number];

/**
 * Refines `eventType` (schema v3). INITIAL_LOAD: the record's first event on the bus comes
 * from loading an existing record, not from a civil-status change; its eventType is
 * RECORD_CORRECTED so that v1/v2 readers, whose eventType enum has no default, read it as a
 * full authoritative state. OTHER: eventType says it all (and what a reader reads for a
 * symbol it does not know, or for an event written before v3).
 */
export const CITIZEN_EVENT_KINDS = ['OTHER', 'INITIAL_LOAD'] as const;
export type CitizenEventKind = (typeof CITIZEN_EVENT_KINDS)[number];

export const MARITAL_STATUSES = ['SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED'] as const;
export type MaritalStatus = (typeof MARITAL_STATUSES)[number];

export type LifeStatus = 'ALIVE' | 'DECEASED';

export interface Address {
  /** 2-digit province code after the 2025 reform. */
  readonly provinceCode: string;
  /** 5-digit commune code after the 2025 reform. */
  readonly communeCode: string;
  readonly addressLine: string;
}

export interface BirthRegistrationPlace {
  /** 3-digit legacy province code, as in the ID number. */
  readonly legacyProvincePrefix: string;
  readonly provinceCode: string;
  readonly communeCode: string | null;
}

/** Fields every event carries about itself; every sector receives them. */
export interface CitizenChangedEnvelope {
  readonly eventId: string;
  readonly eventType: CitizenEventType;
  /** Schema v3; 'OTHER' when written with v1 or v2. */
  readonly eventKind: CitizenEventKind;
  /** Also the Kafka message key (UTF-8). */
  readonly personalId: string;
  /** Per-citizen sequence, +1 per change. Avro long, carried as a JS number. */
  readonly version: number;
  /** Epoch milliseconds (timestamp-millis). */
  readonly occurredAt: number;
  readonly recordedAt: number;
  readonly sourceAgency: string;
  readonly changedFields: readonly string[];
}

/** The citizen's full state after the change. Dates are ISO 8601 strings. */
export interface CitizenState {
  readonly fullName: string;
  readonly familyName: string;
  readonly middleName: string | null;
  readonly givenName: string;
  readonly dateOfBirth: string;
  readonly gender: Gender;
  readonly ethnicity: string;
  readonly nationality: string;
  readonly birthRegistrationPlace: BirthRegistrationPlace;
  readonly permanentResidence: Address | null;
  readonly temporaryResidence: Address | null;
  readonly maritalStatus: MaritalStatus;
  readonly spouseId: string | null;
  readonly fatherId: string | null;
  readonly motherId: string | null;
  readonly status: LifeStatus;
  readonly dateOfDeath: string | null;
  readonly idCardNumber: string | null;
  readonly idCardIssuedOn: string | null;
  readonly idCardExpiresOn: string | null;
  readonly successorId: string | null;
  /** VNeID level 1 or 2 (schema v2); null when absent or written with v1. */
  readonly electronicIdLevel: number | null;
}

export type CitizenChanged = CitizenChangedEnvelope & CitizenState;

export const CITIZEN_ENVELOPE_FIELDS = [
  'eventId',
  'eventType',
  'eventKind',
  'personalId',
  'version',
  'occurredAt',
  'recordedAt',
  'sourceAgency',
  'changedFields',
] as const satisfies readonly (keyof CitizenChangedEnvelope)[];

export const CITIZEN_STATE_FIELDS = [
  'fullName',
  'familyName',
  'middleName',
  'givenName',
  'dateOfBirth',
  'gender',
  'ethnicity',
  'nationality',
  'birthRegistrationPlace',
  'permanentResidence',
  'temporaryResidence',
  'maritalStatus',
  'spouseId',
  'fatherId',
  'motherId',
  'status',
  'dateOfDeath',
  'idCardNumber',
  'idCardIssuedOn',
  'idCardExpiresOn',
  'successorId',
  'electronicIdLevel',
] as const satisfies readonly (keyof CitizenState)[];

export type CitizenStateField = (typeof CITIZEN_STATE_FIELDS)[number];
