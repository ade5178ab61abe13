import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { createKafka, createLogger, createPool, describeError, migrate } from '@bus/platform';
import { classifyFailure } from '../application/failure';
import type { RawRecord, SectorSyncOptions } from '../application/sector-sync.options';
import { backoffDelay } from '../domain/backoff';
import { partitionKey, type TopicPartition } from '../domain/sync-envelope';
import { emptyTally, type PartitionTally, type SyncProgress } from '../domain/sync-progress';
import { BatchApplier, type BatchOutcome } from './batch-applier';
import { prepareRebuild } from './rebuild';
import { SyncMetrics } from './sync-metrics';
import { migrateSyncState, SyncStateRepository } from './sync-state.repository';
import { SyncProducer } from './sync.producer';

export type EngineState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface SyncHealth {
  readonly ok: boolean;
  readonly state: EngineState;
  readonly database: 'up' | 'down';
  readonly group: string;
  readonly topic: string;
  readonly pausedPartitions: number[];
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

export interface EngineRunOptions {
  /** Empty the sector's tables and offsets, then replay the share topic from its start. */
  readonly rebuild?: boolean;
}

/**
 * The sync loop, free of Nest so that it can also run from a CLI or a test.
 * Kafka delivers; PostgreSQL decides: positions come from `sync_offsets`, and the
 * offsets committed to Kafka afterwards only feed lag monitoring.
 */
export class SectorSyncEngine {
  readonly metrics: SyncMetrics;
  readonly pool: Pool;
  readonly logger: Logger;
  private readonly kafka: Kafka;
  private readonly state: SyncStateRepository;
  private readonly producer: SyncProducer;
  private readonly applier: BatchApplier;
  private admin?: Admin;
  private consumer?: Consumer;
  private status: EngineState = 'idle';
  private booting?: Promise<void>;
  /** Partitions positioned from the database since the last group join. */
  private readonly positioned = new Set<string>();
  private readonly retryTimers = new Map<string, { timer: NodeJS.Timeout; partition: number }>();
  private readonly attempts = new Map<string, number>();
  private readonly tallies = new Map<number, PartitionTally>();
  private lastError: SyncHealth['lastError'] = null;

  constructor(
    readonly options: SectorSyncOptions,
    private readonly runOptions: EngineRunOptions = {},
  ) {
    this.logger = options.logger ?? createLogger(options.clientId);
    this.metrics = new SyncMetrics(options.groupId);
    this.pool = createPool(options.databaseUrl, options.poolSize);
    this.kafka = createKafka({
      brokers: options.brokers,
      clientId: options.clientId,
      logger: this.logger,
    });
    this.state = new SyncStateRepository(options.groupId);
    this.producer = new SyncProducer(this.kafka, options, this.logger);
    this.applier = new BatchApplier(
      this.pool,
      this.state,
      this.producer,
      options.decode,
      options.apply,
      this.logger,
    );
  }

  get currentState(): EngineState {
    return this.status;
  }

  /** Starts in the background: a database that is down at boot is waited for, not crashed on. */
  start(): Promise<void> {
    if (this.booting) return this.booting;
    this.status = 'starting';
    this.booting = this.boot().catch((error: unknown) => {
      this.status = 'failed';
      this.lastError = { message: describeError(error), at: new Date().toISOString() };
      this.logger.fatal({ err: error }, 'sector sync could not start');
      throw error;
    });
    return this.booting;
  }

  /** Finishes the batch in hand, commits it, leaves the group, closes everything. */
  async stop(): Promise<void> {
    if (this.status === 'stopped' || this.status === 'stopping') return;
    this.status = 'stopping';
    for (const { timer } of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    await this.booting?.catch(() => undefined);
    await this.consumer?.disconnect().catch((e: unknown) => this.logger.warn({ err: e }, 'leave'));
    await this.producer.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
    this.status = 'stopped';
    this.logger.info({ group: this.options.groupId }, 'sector sync stopped');
  }

  async health(): Promise<SyncHealth> {
    let database: SyncHealth['database'] = 'up';
    try {
      await this.pool.query('SELECT 1');
    } catch {
      database = 'down';
    }
    const pausedPartitions = [...this.retryTimers.values()].map((t) => t.partition).sort();
    return {
      ok: database === 'up' && this.status === 'running',
      state: this.status,
      database,
      group: this.options.groupId,
      topic: this.options.topic,
      pausedPartitions,
      lastError: this.lastError,
    };
  }

  private async boot(): Promise<void> {
    await this.untilDatabaseReady();
    // A broker that is down or still electing leaders is waited for, like the database.
    for (let attempt = 0; this.status === 'starting'; attempt++) {
      try {
        await this.bootKafka();
        return;
      } catch (error) {
        if (classifyFailure(error, 'BOOT_FAILED').kind !== 'transient') throw error;
        await this.closeKafkaClients();
        const delayMs = backoffDelay(attempt, this.options.backoff);
        this.lastError = { message: describeError(error), at: new Date().toISOString() };
        this.logger.warn({ err: error, delayMs }, 'Kafka not ready; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async closeKafkaClients(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.admin = undefined;
  }

  private rebuilt = false;

  private async bootKafka(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    if (this.runOptions.rebuild && !this.rebuilt) {
      await prepareRebuild(this.admin, this.pool, this.state, this.options, this.logger);
      this.rebuilt = true;
    }
    await this.producer.connect(this.admin);
    await this.untilTopicExists(this.admin);
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs,
      maxBytesPerPartition: this.options.maxBytesPerPartition,
      maxWaitTimeInMs: this.options.maxWaitTimeMs,
      // Share topics are written in Kafka transactions: never see aborted records.
      readUncommitted: false,
      // The router owns the share topics; a sync service never creates one by reading it.
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    // A new generation may have moved partitions: reposition each from the database.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.positioned.clear();
      this.logger.info(
        { group: this.options.groupId, assignment: payload.memberAssignment },
        'joined the group',
      );
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    if (this.status !== 'starting') return;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.status = 'running';
    this.logger.info(
      { group: this.options.groupId, topic: this.options.topic },
      'sector sync running',
    );
  }

  /** The share topic may not exist yet when the router starts after us: wait, do not crash. */
  private async untilTopicExists(admin: Admin): Promise<void> {
    for (let attempt = 0; this.status === 'starting'; attempt++) {
      const topics = await admin.listTopics();
      if (topics.includes(this.options.topic)) return;
      const delayMs = backoffDelay(attempt, this.options.backoff);
      this.lastError = {
        message: `topic ${this.options.topic} does not exist yet`,
        at: new Date().toISOString(),
      };
      this.logger.warn(
        { topic: this.options.topic, delayMs },
        'waiting for the topic to be created',
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  private async untilDatabaseReady(): Promise<void> {
    for (let attempt = 0; this.status === 'starting'; attempt++) {
      try {
        await migrateSyncState(this.options.databaseUrl, this.logger);
        if (this.options.migrationsDir) {
          await migrate({
            databaseUrl: this.options.databaseUrl,
            dir: this.options.migrationsDir,
            logger: this.logger,
          });
        }
        return;
      } catch (error) {
        if (classifyFailure(error, 'MIGRATION_FAILED').kind !== 'transient') throw error;
        const delayMs = backoffDelay(attempt, this.options.backoff);
        this.lastError = { message: describeError(error), at: new Date().toISOString() };
        this.logger.warn({ err: error, delayMs }, 'database not ready; retrying migrations');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale } = payload;
    const tp = { topic: batch.topic, partition: batch.partition };
    const key = partitionKey(tp);
    const last = batch.messages.at(-1);
    if (!last || !isRunning() || isStale() || this.retryTimers.has(key)) return;
    try {
      if (!this.positioned.has(key)) {
        const target = await this.positionFor(tp);
        this.positioned.add(key);
        if (target !== batch.firstOffset()) {
          this.logger.info({ ...tp, offset: target }, 'seeking to the offset held in the database');
          this.consumer?.seek({ ...tp, offset: target });
          return;
        }
      }
      const endTimer = this.metrics.batchDuration.startTimer({
        group: this.options.groupId,
        topic: tp.topic,
      });
      const records = batch.messages.map((m) => toRawRecord(tp, m));
      const outcome = await this.applier.applyBatch(tp, records, batch.lastOffset());
      endTimer();
      this.attempts.delete(key);
      payload.resolveOffset(last.offset);
      this.record(tp, outcome);
      await payload
        .commitOffsetsIfNecessary({
          topics: [
            {
              topic: tp.topic,
              partitions: [{ partition: tp.partition, offset: outcome.nextOffset.toString() }],
            },
          ],
        })
        .catch((e: unknown) => this.logger.warn({ err: e, ...tp }, 'Kafka offset commit failed'));
      await this.producer
        .publishProgress([this.progress(tp, outcome.nextOffset)])
        .catch((e: unknown) => this.logger.warn({ err: e, ...tp }, 'progress not published'));
    } catch (error) {
      this.retryLater(key, tp, payload, error);
      return;
    }
    // Outside the try: a rebalance error must reach kafkajs so that it rejoins.
    await payload.heartbeat();
  }

  /** The database's next offset, or the start of the log when it holds none. */
  private async positionFor(tp: TopicPartition): Promise<string> {
    const stored = await this.state.readNextOffset(this.pool, tp);
    if (stored !== null) return stored.toString();
    const offsets = await (this.admin as Admin).fetchTopicOffsets(tp.topic);
    return offsets.find((o) => o.partition === tp.partition)?.low ?? '0';
  }

  /**
   * Pause the partition, leave its offset unresolved (the same records are fetched
   * again) and resume after a backoff. Nothing was committed, so nothing is lost.
   */
  private retryLater(
    key: string,
    tp: TopicPartition,
    payload: EachBatchPayload,
    error: unknown,
  ): void {
    const attempt = this.attempts.get(key) ?? 0;
    this.attempts.set(key, attempt + 1);
    const delayMs = backoffDelay(attempt, this.options.backoff);
    this.lastError = { message: describeError(error), at: new Date().toISOString() };
    this.metrics.transientFailures.inc({ group: this.options.groupId, topic: tp.topic });
    this.logger.warn(
      { err: error, ...tp, attempt: attempt + 1, delayMs },
      'batch rolled back; partition paused until retry',
    );
    const resume = payload.pause();
    const timer = setTimeout(() => {
      this.retryTimers.delete(key);
      this.metrics.pausedPartitions.set({ group: this.options.groupId }, this.retryTimers.size);
      if (this.status === 'running' || this.status === 'starting') resume();
    }, delayMs);
    this.retryTimers.set(key, { timer, partition: tp.partition });
    this.metrics.pausedPartitions.set({ group: this.options.groupId }, this.retryTimers.size);
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
    if (outcome.applied.length + outcome.skipped + outcome.deadLettered.length > 0) {
      this.logger.info(
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
