import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import {
  createKafka,
  createLogger,
  createPool,
  inTransaction,
  PartitionBatchLoop,
  type LoopState,
} from '@bus/platform';
import type { SectorApply, SectorSyncOptions } from '../application/sector-sync.options';
import { SyncOutboxRelay, type OutboxSource } from './sync-outbox-relay';
import { SyncCommitStep } from './sync-commit.step';
import { SyncMetrics } from './sync-metrics';
import { SyncProducer } from './sync.producer';

export type EngineState = LoopState;

export interface SyncHealth {
  readonly ok: boolean;
  readonly state: EngineState;
  readonly database: 'up' | 'down';
  /** Consecutive failed attempts of the most troubled partition's batch. */
  readonly failedAttempts: number;
  readonly group: string;
  readonly topic: string;
  readonly pausedPartitions: number[];
  /** Partitions with records waiting and no progress for the loop's stall time. */
  readonly stalledPartitions: number[];
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

export interface EngineRunOptions {
  /** Empty the sector's tables and offsets, then replay the share topic from its start. */
  readonly rebuild?: boolean;
}

/**
 * A sector's sync service on the bus's one consumer loop (`PartitionBatchLoop`), free of
 * Nest so that it can also run from a CLI or a test. Its own part is the commit step: one
 * PostgreSQL transaction per batch (`SyncCommitStep`).
 */
export class SectorSyncEngine {
  readonly metrics: SyncMetrics;
  readonly pool: Pool;
  readonly logger: Logger;
  private readonly step: SyncCommitStep;
  private readonly loop: PartitionBatchLoop;
  /** The framework's outbox tables (follows, receipts) on their way to Kafka. */
  private readonly relays: SyncOutboxRelay[];

  constructor(
    readonly options: SectorSyncOptions,
    runOptions: EngineRunOptions = {},
  ) {
    this.logger = options.logger ?? createLogger(options.clientId);
    this.metrics = new SyncMetrics(options.groupId);
    this.pool = createPool(options.databaseUrl, options.poolSize);
    const kafka = createKafka({
      brokers: options.brokers,
      clientId: options.clientId,
      logger: this.logger,
    });
    const producer = new SyncProducer(kafka, options, this.logger);
    this.step = new SyncCommitStep(
      options,
      this.pool,
      producer,
      this.metrics,
      this.logger,
      runOptions.rebuild ?? false,
    );
    const r = options.receipts;
    const relay = (source: OutboxSource, topic: string) =>
      new SyncOutboxRelay(
        this.pool,
        kafka,
        source,
        {
          topic,
          batchSize: r.batchSize,
          pollIntervalMs: r.pollIntervalMs,
          retainPublishedSeconds: r.retainPublishedHours * 3_600,
          pruneBatchSize: r.pruneBatchSize,
          backoff: options.backoff,
        },
        this.logger,
      );
    this.relays = [relay(this.step.follows, options.follows.topic)];
    if (this.step.receipts) this.relays.push(relay(this.step.receipts, r.topic));
    this.step.onApplied = () => this.relays.forEach((x) => x.nudge());
    const group = { group: options.groupId };
    this.loop = new PartitionBatchLoop(
      {
        kafka,
        groupId: options.groupId,
        topics: [options.topic],
        logger: this.logger,
        backoff: options.backoff,
        // The step commits the group offset after each batch (lag), so a stall is visible.
        stallAfterMs: PartitionBatchLoop.STALL_AFTER_MS,
        consumer: {
          sessionTimeout: options.sessionTimeoutMs,
          maxBytesPerPartition: options.maxBytesPerPartition,
          maxWaitTimeInMs: options.maxWaitTimeMs,
          minBytes: options.minBytes,
          // Share topics are written in Kafka transactions: never see aborted records.
          readUncommitted: false,
          // The router owns the share topics; a sync service never creates one by reading it.
          allowAutoTopicCreation: false,
        },
        onRetry: (tp, paused) => {
          this.metrics.transientFailures.inc({ ...group, topic: tp.topic });
          this.metrics.pausedPartitions.set(group, paused);
        },
        onResume: (paused) => this.metrics.pausedPartitions.set(group, paused),
      },
      this.step,
    );
  }

  get currentState(): EngineState {
    return this.loop.state;
  }

  /** Migrations ran: the sector's tables exist (the consumer may still be joining). */
  get databaseReady(): boolean {
    return this.step.databaseReady;
  }

  /** The sector's rules, when they come from registered handlers instead of `options.apply`. */
  useApply(apply: SectorApply<unknown>): void {
    this.step.useApply(apply);
  }

  /** Starts in the background: a database that is down at boot is waited for, not crashed on. */
  start(): Promise<void> {
    this.starting ??= this.loop.start().then(() => {
      if (this.loop.state !== 'running') return;
      // After the loop's boot: the migrations ran and the outbox topics exist.
      for (const relay of this.relays) relay.start();
      const { groupId, topic } = this.options;
      this.logger.info({ group: groupId, topic }, 'sector sync running');
    });
    return this.starting;
  }

  private starting?: Promise<void>;

  /** Finishes the batch in hand, commits it, leaves the group, closes everything. */
  async stop(): Promise<void> {
    if (this.loop.state === 'stopped' || this.loop.state === 'stopping') return;
    await this.loop.stop();
    await Promise.all(this.relays.map((relay) => relay.stop()));
    await this.pool.end().catch(() => undefined);
    this.logger.info({ group: this.options.groupId }, 'sector sync stopped');
  }

  /** Starts following citizens, outside a batch (the HTTP API); resolves to the new ones. */
  async follow(personalIds: readonly string[]): Promise<string[]> {
    return this.changeFollows((tx) => this.step.follows.follow(tx, personalIds));
  }

  async unfollow(personalIds: readonly string[]): Promise<string[]> {
    return this.changeFollows((tx) => this.step.follows.unfollow(tx, personalIds));
  }

  isFollowing(personalId: string): Promise<boolean> {
    return this.step.follows.isFollowing(this.pool, personalId);
  }

  private async changeFollows(change: (tx: PoolClient) => Promise<string[]>): Promise<string[]> {
    const changed = await inTransaction(this.pool, change);
    if (changed.length > 0) for (const relay of this.relays) relay.nudge();
    return changed;
  }

  async health(): Promise<SyncHealth> {
    let database: SyncHealth['database'] = 'up';
    try {
      await this.pool.query('SELECT 1');
    } catch {
      database = 'down';
    }
    const { failedAttempts } = this.loop;
    const stalledPartitions = this.loop.stalledPartitions.map((tp) => tp.partition);
    return {
      // Unhealthy too when a batch keeps failing with the database up (a broker or registry
      // that refuses, a dead-letter topic it cannot write): retried, but someone should look.
      ok:
        database === 'up' &&
        this.loop.state === 'running' &&
        failedAttempts < PartitionBatchLoop.UNHEALTHY_AFTER_FAILED_ATTEMPTS &&
        stalledPartitions.length === 0,
      state: this.loop.state,
      database,
      failedAttempts,
      group: this.options.groupId,
      topic: this.options.topic,
      pausedPartitions: this.loop.pausedPartitions,
      stalledPartitions,
      lastError: this.loop.lastError,
    };
  }
}
