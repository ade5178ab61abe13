import type { Citizen, CitizenChange } from '../domain/citizen';

/** One change as it is recorded: the state, a history row and an outbox row share the event id. */
export interface RecordedChange {
  readonly eventId: string;
  readonly change: CitizenChange;
  readonly recordedAt: Date;
  /** The agency that registered the change (the event's `sourceAgency`). */
  readonly sourceAgency: string;
}

export interface StoredIdempotentResult {
  readonly requestHash: string;
  readonly response: unknown;
}

/** The work one command may do inside its single transaction. */
export interface PopulationTransaction {
  /**
   * Locks the records FOR UPDATE in ascending personal-ID order, whatever order they are
   * asked in: two commands touching the same pair (a marriage and a death) cannot deadlock.
   */
  lockCitizens(personalIds: readonly string[]): Promise<Map<string, Citizen>>;
  /**
   * Locks up to `limit` ACTIVE records whose permanent residence is in one of the communes,
   * with personal IDs after `after`, in personal-ID order (a bulk re-addressing's next batch).
   */
  lockResidentsOf(
    communeCodes: readonly string[],
    after: string,
    limit: number,
  ): Promise<Citizen[]>;
  /** Reads a record without locking it (to learn which other rows to lock with it). */
  readCitizen(personalId: string): Promise<Citizen | undefined>;
  /** Personal IDs of the records naming this number as father or mother (not locked). */
  childrenOf(personalId: string): Promise<string[]>;
  /** The effective date of the record's latest change of this type, or null. */
  lastChangeOn(personalId: string, changeType: string): Promise<string | null>;
  /** Reserves a number for good; false when it was ever issued before. */
  reservePersonalId(personalId: string): Promise<boolean>;
  /** Marks a number cancelled (it stays reserved forever). */
  cancelPersonalId(personalId: string, replacedBy: string, reason: string): Promise<void>;
  /**
   * Inserts new records or updates existing ones where the stored version is exactly
   * `after.version - 1`, appends history and outbox rows, and asks for one NOTIFY at commit.
   */
  record(changes: readonly RecordedChange[]): Promise<void>;
  /**
   * Claims an idempotency key. Returns the stored result when another request already
   * recorded it (waiting for it to commit if it is in flight), else undefined.
   */
  claimIdempotencyKey(
    scope: string,
    key: string,
    requestHash: string,
  ): Promise<StoredIdempotentResult | undefined>;
  saveIdempotentResult(scope: string, key: string, response: unknown): Promise<void>;
}

export interface HistoryEntry {
  readonly version: number;
  readonly eventId: string;
  readonly changeType: string;
  readonly effectiveOn: string;
  readonly recordedAt: string;
  readonly changed: Record<string, unknown>;
}

export interface PopulationStore {
  transaction<T>(work: (tx: PopulationTransaction) => Promise<T>): Promise<T>;
  findCitizen(personalId: string): Promise<Citizen | undefined>;
  history(personalId: string): Promise<HistoryEntry[] | undefined>;
  /** Bulk initial load: one transaction per batch, existing numbers are reported, not overwritten. */
  loadCitizens(
    changes: readonly RecordedChange[],
  ): Promise<{ inserted: string[]; skipped: string[] }>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
