import { createHash, randomUUID } from 'node:crypto';
import { findCommune } from '@bus/contracts';
import { ConflictError, ErrorCode, ForbiddenError } from '@bus/platform';
import type { Citizen, CitizenChange } from '../domain/citizen';
import { citizenNotFound, versionConflict } from '../domain/population.errors';
import type { LinkedRecords } from '../domain/identity.rules';
import type {
  Clock,
  PopulationStore,
  PopulationTransaction,
  RecordedChange,
} from './population.ports';

/** How a client asks for safe retries and optimistic concurrency. */
export interface CommandOptions {
  /** `Idempotency-Key`: a retried request with the same key records one change. */
  readonly idempotencyKey?: string | undefined;
  /** The version the client last read (If-Match); a mismatch is a 409. */
  readonly expectedVersion?: number | undefined;
  /** Who registered the change (from the caller's token); defaults to the database's operator. */
  readonly sourceAgency?: string | undefined;
  /**
   * A civil-status officer's province: births, deaths and residence changes elsewhere are
   * refused. Undefined for administrators (national); null for an officer with no province.
   */
  readonly jurisdiction?: { readonly province: string | null } | undefined;
}

/** C06: the Ministry of Public Security department that runs the National Population Database. */
export const DEFAULT_SOURCE_AGENCY = 'BCA-C06';

export interface ChangeSummary {
  readonly personalId: string;
  readonly version: number;
  readonly changeType: string;
  readonly eventId: string;
}

export interface CommandResult {
  /** The citizen the command was about (the child for a birth, the new number for a reissue). */
  readonly personalId: string;
  readonly version: number;
  readonly changes: readonly ChangeSummary[];
  /** True when this is the stored answer to an earlier request with the same Idempotency-Key. */
  readonly replayed: boolean;
}

export interface CommandContext {
  readonly tx: PopulationTransaction;
  readonly now: Date;
  /** Locks the records (deterministic order) and returns them; 404 for any that is missing. */
  load(...personalIds: string[]): Promise<Citizen[]>;
  /**
   * Locks a record together with its spouse's (both in ID order, so no deadlock with a
   * concurrent marriage or divorce); the spouse is null when unmarried.
   */
  loadWithSpouse(personalId: string): Promise<[Citizen, Citizen | null]>;
  /**
   * Locks a record with the records linked to it by number (its spouse and the children
   * naming it as a parent) and any `others`, all in one ID-ordered lock; for merges and
   * reissues, whose links move to the new number.
   */
  loadWithLinks(
    personalId: string,
    ...others: string[]
  ): Promise<{ citizen: Citizen; others: Citizen[]; linked: LinkedRecords }>;
  /** 409 when the client gave an expected version and the record moved on. */
  checkVersion(citizen: Citizen): void;
  /** 403 when an officer records something about a commune outside their province. */
  checkJurisdiction(communeCode: string | null | undefined): void;
}

export interface CommandOutcome {
  readonly changes: readonly CitizenChange[];
  /** Which citizen the result is about; the first change's by default. */
  readonly subject?: string;
}

function requestHash(scope: string, request: unknown): string {
  return createHash('sha256')
    .update(scope)
    .update(JSON.stringify(request) ?? '')
    .digest('hex');
}

export function checkJurisdiction(
  options: CommandOptions,
  communeCode: string | null | undefined,
): void {
  const jurisdiction = options.jurisdiction;
  if (jurisdiction === undefined) return;
  const province = communeCode ? findCommune(communeCode)?.provinceCode : undefined;
  if (jurisdiction.province === null || province !== jurisdiction.province) {
    throw new ForbiddenError(
      ErrorCode.OUT_OF_JURISDICTION,
      "This change is outside the officer's jurisdiction",
    );
  }
}

/**
 * Runs one command in one transaction: idempotency key, locks, rule checks, and the
 * state + history + outbox writes commit together or not at all.
 */
export class CommandRunner {
  constructor(
    private readonly store: PopulationStore,
    private readonly clock: Clock,
  ) {}

  async run(
    scope: string,
    request: unknown,
    options: CommandOptions,
    work: (context: CommandContext) => Promise<CommandOutcome>,
  ): Promise<CommandResult> {
    return this.store.transaction(async (tx) => {
      const key = options.idempotencyKey;
      const hash = requestHash(scope, request);
      if (key !== undefined) {
        const earlier = await tx.claimIdempotencyKey(scope, key, hash);
        if (earlier !== undefined) {
          if (earlier.requestHash !== hash) {
            throw new ConflictError(
              ErrorCode.IDEMPOTENCY_KEY_REUSED,
              'This Idempotency-Key was already used for a different request',
            );
          }
          return { ...(earlier.response as CommandResult), replayed: true };
        }
      }
      const now = this.clock.now();
      const context: CommandContext = {
        tx,
        now,
        load: async (...ids) => {
          const found = await tx.lockCitizens(ids);
          return ids.map((id) => {
            const citizen = found.get(id);
            if (citizen === undefined) throw citizenNotFound(id);
            return citizen;
          });
        },
        loadWithSpouse: async (id) => {
          for (;;) {
            const peek = await tx.readCitizen(id);
            if (peek === undefined) throw citizenNotFound(id);
            const ids = peek.spouseId === null ? [id] : [id, peek.spouseId];
            const locked = await tx.lockCitizens(ids);
            const citizen = locked.get(id);
            if (citizen === undefined) throw citizenNotFound(id);
            // The spouse changed between the read and the lock: lock the new pair instead.
            if (citizen.spouseId !== peek.spouseId) continue;
            return [
              citizen,
              citizen.spouseId === null ? null : (locked.get(citizen.spouseId) ?? null),
            ];
          }
        },
        checkJurisdiction: (communeCode) => checkJurisdiction(options, communeCode),
        loadWithLinks: async (id, ...others) => {
          for (;;) {
            const peek = await tx.readCitizen(id);
            if (peek === undefined) throw citizenNotFound(id);
            const children = await tx.childrenOf(id);
            const spouse = peek.spouseId === null ? [] : [peek.spouseId];
            const locked = await tx.lockCitizens([id, ...others, ...spouse, ...children]);
            const citizen = locked.get(id);
            if (citizen === undefined) throw citizenNotFound(id);
            // The spouse changed between the read and the lock: lock the new set instead.
            if (citizen.spouseId !== peek.spouseId) continue;
            return {
              citizen,
              others: others.map((other) => {
                const found = locked.get(other);
                if (found === undefined) throw citizenNotFound(other);
                return found;
              }),
              linked: {
                spouse: citizen.spouseId === null ? null : (locked.get(citizen.spouseId) ?? null),
                children: children.flatMap((child) => locked.get(child) ?? []),
              },
            };
          }
        },
        checkVersion: (citizen) => {
          const expected = options.expectedVersion;
          if (expected !== undefined && expected !== citizen.version) {
            throw versionConflict(citizen.personalId, expected, citizen.version);
          }
        },
      };
      // Before any write: a refused command leaves nothing behind (the key claim rolls back).
      const outcome = await work(context);
      const recorded: RecordedChange[] = outcome.changes.map((change) => ({
        eventId: randomUUID(),
        change,
        recordedAt: now,
        sourceAgency: options.sourceAgency ?? DEFAULT_SOURCE_AGENCY,
      }));
      await tx.record(recorded);
      const summaries = recorded.map(({ eventId, change }) => ({
        personalId: change.after.personalId,
        version: change.after.version,
        changeType: change.changeType,
        eventId,
      }));
      const subjectId = outcome.subject ?? summaries[0]?.personalId ?? '';
      const subject = summaries.find((s) => s.personalId === subjectId);
      const result: CommandResult = {
        personalId: subjectId,
        version: subject?.version ?? 0,
        changes: summaries,
        replayed: false,
      };
      if (key !== undefined) await tx.saveIdempotentResult(scope, key, result);
      return result;
    });
  }
}
