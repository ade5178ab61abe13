import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { classifyFailure, ErrorCode, inTransaction } from '@bus/platform';
import type { RawRecord, SectorApply, EventDecoder } from '../application/sector-sync.options';
import { highestVersions, splitByFreshness, type Positioned } from '../domain/freshness';
import { envelopeProblem, type SyncEvent, type TopicPartition } from '../domain/sync-envelope';
import type { FollowsRepository } from './follows.repository';
import type { ReceiptsRepository } from './receipts.repository';
import type { SyncStateRepository } from './sync-state.repository';
import type { DeadLetter, SyncProducer } from './sync.producer';

export interface BatchOutcome {
  readonly applied: readonly SyncEvent<unknown>[];
  /** Duplicates and stale versions. */
  readonly skipped: number;
  /** Records below the stored offset: committed by an earlier run, not looked at again. */
  readonly alreadyCommitted: number;
  readonly deadLettered: readonly DeadLetter[];
  readonly nextOffset: bigint;
}

/**
 * One Kafka batch = one PostgreSQL transaction: the sector's writes, the receipts of the
 * applied events, the per-key versions and the partition's next offset commit together or
 * not at all.
 */
export class BatchApplier {
  constructor(
    private readonly pool: Pool,
    private readonly state: SyncStateRepository,
    private readonly producer: SyncProducer,
    private readonly decode: EventDecoder<unknown>,
    private readonly apply: SectorApply<unknown>,
    private readonly logger: Logger,
    private readonly follows: FollowsRepository,
    /** Absent when the sector turned receipts off. */
    private readonly receipts?: ReceiptsRepository,
  ) {}

  /**
   * `isolate`: each event under its own savepoint from the start. A batch runs without
   * savepoints first (two round trips fewer); when the sector rejects it for good, the
   * whole transaction is rolled back and the batch runs again isolated, so that only the
   * culprits are dead-lettered.
   */
  async applyBatch(
    tp: TopicPartition,
    records: readonly RawRecord[],
    lastOffset: string,
    isolate = false,
  ): Promise<BatchOutcome> {
    const first = records[0];
    const afterBatch = BigInt(lastOffset) + 1n;
    if (!first) {
      // Transaction markers or aborted records only: the stored position moves past them.
      const nextOffset = await inTransaction(this.pool, async (tx) => {
        const stored = await this.state.lockNextOffset(tx, tp, afterBatch.toString());
        if (afterBatch > stored) await this.state.saveNextOffset(tx, tp, afterBatch);
        return afterBatch > stored ? afterBatch : stored;
      });
      return { applied: [], skipped: 0, alreadyCommitted: 0, deadLettered: [], nextOffset };
    }
    const client = await this.pool.connect();
    let failed = false;
    // The server may drop the connection between two statements (a database taken offline,
    // pg_terminate_backend) while the batch awaits the registry or the broker: pg then emits
    // 'error' on the checked-out client, which would crash the process without a listener.
    // The next statement fails anyway, and the batch is retried.
    const dropped = (error: Error) => {
      failed = true;
      this.logger.warn({ err: error, ...tp }, 'database connection lost mid-batch');
    };
    client.on('error', dropped);
    let rejected = false;
    try {
      const stored = await this.state.beginAndLock(client, tp, first.offset);
      const pending = records.filter((record) => BigInt(record.offset) >= stored);
      const deadLetters: DeadLetter[] = [];
      const decoded = await this.decodeAll(pending, deadLetters);
      const versions = await this.state.readVersions(
        client,
        decoded.map((d) => d.envelope.key),
      );
      const { fresh, stale } = splitByFreshness(decoded, versions);
      const events: SyncEvent<unknown>[] = fresh.map(({ item, previousVersion }) => ({
        ...item.envelope,
        topic: tp.topic,
        partition: tp.partition,
        offset: item.offset,
        previousVersion,
      }));
      const applied = await this.applyIsolating(client, tp, events, pending, deadLetters, isolate);
      if (applied === null) {
        rejected = true;
        await client.query('ROLLBACK');
        return await this.applyBatch(tp, records, lastOffset, true);
      }
      if (this.receipts) {
        const headers = new Map(pending.map((r) => [r.offset, r.headers]));
        await this.receipts.record(client, applied, (offset) => headers.get(offset));
      }
      const nextOffset = afterBatch > stored ? afterBatch : stored;
      await this.state.saveVersionsAndOffset(client, tp, lastVersionPerKey(applied), nextOffset);
      // The dead letters are durable in Kafka before the offset moves past them.
      await this.producer.publishDeadLetters(deadLetters);
      await client.query('COMMIT');
      return {
        applied,
        skipped: stale.length,
        alreadyCommitted: records.length - pending.length,
        deadLettered: deadLetters,
        nextOffset,
      };
    } catch (error) {
      failed = true;
      if (!rejected) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A client that failed mid-transaction may hold a dead socket: do not pool it.
      client.off('error', dropped);
      client.release(failed);
    }
  }

  private async decodeAll(
    records: readonly RawRecord[],
    deadLetters: DeadLetter[],
  ): Promise<(Positioned<unknown> & { record: RawRecord })[]> {
    const decoded: (Positioned<unknown> & { record: RawRecord })[] = [];
    for (const record of records) {
      try {
        const envelope = await this.decode(record);
        const problem = envelopeProblem(envelope);
        if (problem !== null) {
          deadLetters.push({
            record,
            cause: { reason: ErrorCode.INVALID_ENVELOPE, message: problem },
          });
          continue;
        }
        decoded.push({ envelope, offset: record.offset, record });
      } catch (error) {
        const verdict = classifyFailure(error, ErrorCode.DECODE_FAILED);
        // A registry that does not answer: the whole batch is retried later.
        if (verdict.kind === 'transient') throw error;
        deadLetters.push({ record, cause: verdict });
      }
    }
    return decoded;
  }

  /**
   * The whole batch in one call unless `isolate`; null when the sector rejects it for good
   * (the transaction is then aborted: the caller rolls back and runs the batch isolated).
   * Isolated, each event runs under its own savepoint so that only the culprits are
   * dead-lettered.
   */
  private async applyIsolating(
    tx: PoolClient,
    tp: TopicPartition,
    events: SyncEvent<unknown>[],
    records: readonly RawRecord[],
    deadLetters: DeadLetter[],
    isolate: boolean,
  ): Promise<SyncEvent<unknown>[] | null> {
    if (events.length === 0) return [];
    const follows = this.follows;
    const context = {
      ...tp,
      logger: this.logger,
      follows: {
        follow: (ids: readonly string[]) => follows.follow(tx, ids),
        unfollow: (ids: readonly string[]) => follows.unfollow(tx, ids),
      },
    };
    if (!isolate) {
      try {
        await this.apply(events, tx, context);
        return events;
      } catch (error) {
        if (classifyFailure(error, ErrorCode.APPLY_FAILED).kind === 'transient') throw error;
        return null;
      }
    }
    const applied: SyncEvent<unknown>[] = [];
    for (const event of events) {
      await tx.query('SAVEPOINT sector_event');
      try {
        await this.apply([event], tx, context);
        await tx.query('RELEASE SAVEPOINT sector_event');
        applied.push(event);
      } catch (error) {
        const verdict = classifyFailure(error, ErrorCode.APPLY_FAILED);
        if (verdict.kind === 'transient') throw error;
        await tx.query('ROLLBACK TO SAVEPOINT sector_event');
        const record = records.find((r) => r.offset === event.offset);
        if (record) deadLetters.push({ record, cause: verdict, eventId: event.eventId });
      }
    }
    return applied;
  }
}

function lastVersionPerKey(
  applied: readonly SyncEvent<unknown>[],
): { key: string; version: number; eventId: string }[] {
  const highest = highestVersions(applied);
  const byKey = new Map<string, { key: string; version: number; eventId: string }>();
  for (const event of applied) {
    if (highest.get(event.key) === event.version) {
      byKey.set(event.key, { key: event.key, version: event.version, eventId: event.eventId });
    }
  }
  return [...byKey.values()];
}
