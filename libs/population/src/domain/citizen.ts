/** A citizen record as the National Population Database holds it, keyed by personal ID. */
export type Gender = 'MALE' | 'FEMALE';

/** MERGED: retired in favour of a duplicate's survivor. CANCELLED: the number was reissued. */
export type CitizenStatus = 'ACTIVE' | 'DECEASED' | 'MERGED' | 'CANCELLED';

export type MaritalStatus = 'SINGLE' | 'MARRIED' | 'DIVORCED' | 'WIDOWED';

export interface Residence {
  /** A 2025 commune code. */
  readonly communeCode: string;
  /**
   * The pre-1 July 2025 commune code the address was recorded with, when a legacy record
   * (initial load) named an old commune: `address` still reads in old-commune terms.
   */
  readonly legacyCommuneCode?: string;
  readonly address: string;
  /** ISO date (yyyy-mm-dd). */
  readonly since: string;
  /** Temporary residence only: the registered end date. */
  readonly until: string | null;
}

export interface IdentityCard {
  /** The CCCD number is the personal ID number itself. */
  readonly number: string;
  readonly issuedOn: string;
  /** null: valid for life (issued at 60 or later). */
  readonly expiresOn: string | null;
}

export interface CitizenState {
  readonly personalId: string;
  readonly status: CitizenStatus;
  readonly fullName: string;
  readonly gender: Gender;
  readonly dateOfBirth: string;
  readonly birthRegistrationCommuneCode: string;
  readonly hometownCommuneCode: string | null;
  readonly ethnicity: string;
  readonly religion: string | null;
  readonly nationality: string;
  readonly fatherId: string | null;
  readonly motherId: string | null;
  readonly maritalStatus: MaritalStatus;
  readonly spouseId: string | null;
  readonly permanentResidence: Residence | null;
  readonly temporaryResidence: Residence | null;
  readonly identityCard: IdentityCard | null;
  readonly dateOfDeath: string | null;
  /** Set on a MERGED or CANCELLED record: the personal ID that replaces this one. */
  readonly replacedBy: string | null;
  /** Set on a record created by a reissue or that survived a merge. */
  readonly previousPersonalIds: readonly string[];
}

export interface Citizen extends CitizenState {
  /** Goes up by exactly one per recorded change; 1 after registration or initial load. */
  readonly version: number;
}

/** What a command did to one citizen record: the new state and why. */
export type ChangeType =
  | 'BIRTH_REGISTERED'
  | 'INITIAL_LOAD'
  | 'DEATH_REGISTERED'
  | 'NAME_CHANGED'
  | 'PERMANENT_RESIDENCE_REGISTERED'
  | 'TEMPORARY_RESIDENCE_REGISTERED'
  | 'MARRIED'
  | 'DIVORCED'
  | 'WIDOWED'
  | 'ID_CARD_ISSUED'
  | 'RECORD_CORRECTED'
  | 'RECORD_MERGED'
  | 'RECORD_RETIRED'
  | 'PERSONAL_ID_REISSUED'
  | 'PERSONAL_ID_CANCELLED';

export interface CitizenChange {
  readonly changeType: ChangeType;
  /** The state before (null for a new record) and after the change. */
  readonly before: Citizen | null;
  readonly after: Citizen;
  /** ISO date on which the change took effect in civil status (not when it was recorded). */
  readonly effectiveOn: string;
}

/** Field names whose value differs between two states: the history's "what changed". */
export function changedFields(before: CitizenState | null, after: CitizenState): string[] {
  const keys = Object.keys(after) as (keyof CitizenState)[];
  if (before === null) return keys.filter((key) => after[key] !== null);
  return keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}
