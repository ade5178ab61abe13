import type { Admin, KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import {
  ConfigError,
  migrate,
  type BatchCommitted,
  type BatchLoopStep,
  type PartitionBatch,
  type TopicPartition,
} from '@bus/platform';
import type { RawRecord, SectorApply, SectorSyncOptions } from '../application/sector-sync.options';
import type { SyncProgress } from '@bus/contracts';
import { emptyTally, type PartitionTally } from '../domain/sync-progress';
import { BatchApplier, type BatchOutcome } from './batch-applier';
import { prepareRebuild } from './rebuild';
import { FollowsRepository } from './follows.repository';
import { ReceiptsRepository } from './receipts.repository';
import type { SyncMetrics } from './sync-metrics';
import { migrateSyncState, SyncStateRepository } from './sync-state.repository';
import type { SyncProducer } from './sync.producer';

/**
 * Sector sync's commit step on the shared loop: one PostgreSQL transaction per batch
 * (rows, per-key versions, next offset). PostgreSQL decides positions; the offset also
 * committed to Kafka afterwards only feeds lag monitoring.
 */
export class SyncCommitStep implements BatchLoopStep {
  private readonly state: SyncStateRepository;
  private readonly applier: BatchApplier;
  /** Absent when the sector turned receipts off. */
  readonly receipts?: ReceiptsRepository;
  readonly follows: FollowsRepository;
  private readonly tallies = new Map<number, PartitionTally>();
  private apply?: SectorApply<unknown>;
  private rebuilt = false;
  /** Called after a committed batch that applied events (the outbox relays' nudge). */
  onApplied: () => void = () => undefined;

  constructor(
    private readonly options: SectorSyncOptions,
    private readonly pool: Pool,
    private readonly producer: SyncProducer,
    private readonly metrics: SyncMetrics,
    private readonly logger: Logger,
    private readonly rebuild: boolean,
  ) {
    this.apply = options.apply;
    this.state = new SyncStateRepository(options.groupId);
    this.receipts = options.receipts.enabled
      ? new ReceiptsRepository(options.groupId, options.receipts)
      : undefined;
    this.follows = new FollowsRepository(options.receipts.recipient);
    this.applier = new BatchApplier(
      pool,
      this.state,
      producer,
      options.decode,
      (events, tx, context) => (this.apply as SectorApply<unknown>)(events, tx, context),
      logger,
      this.follows,
      this.receipts,
    );
  }

  /** The sector's rules, when they come from elsewhere than the options (the Nest transport). */
  useApply(apply: SectorApply<unknown>): void {
    this.apply = apply;
  }

  async init(): Promise<void> {
    if (!this.apply) {
      throw new ConfigError('Sector sync has no apply: pass `apply` or register event handlers');
    }
    await migrateSyncState(this.options.databaseUrl, this.logger);
    if (this.options.migrationsDir) {
      await migrate({
        databaseUrl: this.options.databaseUrl,
        dir: this.options.migrationsDir,
        logger: this.logger,
      });
    }
    this.migrated = true;
  }

  /** The state and sector tables exist: the read side may answer. */
  get databaseReady(): boolean {
    return this.migrated;
  }

  private migrated = false;

  async prepare(admin: Admin): Promise<void> {
    if (this.rebuild && !this.rebuilt) {
      await prepareRebuild(admin, this.pool, this.state, this.options, this.logger);
      this.rebuilt = true;
    }
    await this.producer.connect(admin);
  }

  /** The database's next offset, or the start of the log when it holds none. */
  async positionFor(tp: TopicPartition, admin: Admin): Promise<string> {
    const stored = await this.state.readNextOffset(this.pool, tp);
    if (stored !== null) return stored.toString();
    const offsets = await admin.fetchTopicOffsets(tp.topic);
    return offsets.find((o) => o.partition === tp.partition)?.low ?? '0';
  }

  async commit(batch: PartitionBatch): Promise<BatchCommitted> {
    const tp = { topic: batch.topic, partition: batch.partition };
    const endTimer = this.metrics.batchDuration.startTimer({
      group: this.options.groupId,
      topic: tp.topic,
    });
    const records = batch.messages.map((m) => toRawRecord(tp, m));
    const outcome = await this.applier.applyBatch(tp, records, batch.lastOffset);
    endTimer();
    if (outcome.applied.length > 0) this.onApplied();
    this.record(tp, outcome);
    await this.producer
      .publishProgress([this.progress(tp, outcome.nextOffset)])
      .catch((e: unknown) => this.logger.warn({ err: e, ...tp }, 'progress not published'));
    return { groupOffset: outcome.nextOffset.toString() };
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  private record(tp: TopicPartition, outcome: BatchOutcome): void {
    const labels = { group: this.options.groupId, topic: tp.topic };
    const tally = this.tallies.get(tp.partition) ?? emptyTally();
    this.tallies.set(tp.partition, tally);
    tally.applied += outcome.applied.length;
    tally.skipped += outcome.skipped;
    tally.deadLettered += outcome.deadLettered.length;
    this.metrics.applied.inc(labels, outcome.applied.length);
    this.metrics.skipped.inc(labels, outcome.skipped);
    const lastApplied = outcome.applied.at(-1);
    if (lastApplied) {
      tally.lastOccurredAt = lastApplied.occurredAt ?? tally.lastOccurredAt;
      tally.lastRecordedAt = lastApplied.recordedAt ?? tally.lastRecordedAt;
      if (tally.lastOccurredAt) {
        this.metrics.lastOccurredAt.set(
          { ...labels, partition: String(tp.partition) },
          Date.parse(tally.lastOccurredAt) / 1000,
        );
      }
    }
    for (const letter of outcome.deadLettered) {
      this.metrics.deadLettered.inc({ ...labels, reason: letter.cause.reason });
      this.logger.warn(
        {
          ...tp,
          offset: letter.record.offset,
          eventId: letter.eventId,
          reason: letter.cause.reason,
        },
        `dead-lettered: ${letter.cause.message}`,
      );
    }
    for (const event of outcome.applied) {
      this.logger.debug({ eventId: event.eventId, ...tp, offset: event.offset }, 'applied');
    }
    // Per batch at debug: the loop's summary says how the stage goes at info.
    if (outcome.applied.length + outcome.skipped + outcome.deadLettered.length > 0) {
      this.logger.debug(
        {
          ...tp,
          nextOffset: outcome.nextOffset.toString(),
          applied: outcome.applied.length,
          skipped: outcome.skipped,
          deadLettered: outcome.deadLettered.length,
        },
        'batch committed',
      );
    }
  }

  private progress(tp: TopicPartition, nextOffset: bigint): SyncProgress {
    const tally = this.tallies.get(tp.partition) ?? emptyTally();
    return {
      group: this.options.groupId,
      topic: tp.topic,
      partition: tp.partition,
      offset: nextOffset.toString(),
      lastOccurredAt: tally.lastOccurredAt,
      lastRecordedAt: tally.lastRecordedAt,
      appliedAt: new Date().toISOString(),
      applied: tally.applied,
      skipped: tally.skipped,
      deadLettered: tally.deadLettered,
    };
  }
}

function toRawRecord(tp: TopicPartition, message: KafkaMessage): RawRecord {
  return {
    ...tp,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
  };
}
