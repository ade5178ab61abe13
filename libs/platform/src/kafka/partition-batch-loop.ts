import type { Admin, Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import { describeError } from '../errors/bus-error';
import { ErrorCode } from '../errors/error-codes';
import type { Logger } from '../logging/logger';
import { backoffDelay, sleep, type BackoffPolicy } from '../resilience/backoff';
import { classifyFailure } from '../resilience/failure-verdict';
import type { BatchLoopStep, TopicPartition } from './batch-step';
import { StageSummary } from './stage-summary';
import { groupLag, StallWatch } from './stall-watch';
import { commitTraced } from './traced-commit';
import { ensureTopics, untilTopicsExist, type TopicSpec } from './topics';

export type LoopState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export type { BatchCommitted, BatchLoopStep, PartitionBatch, TopicPartition } from './batch-step';

export interface PartitionBatchLoopOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Topics this stage owns: created (if missing) before the loop waits for `topics`. */
  readonly owns?: readonly TopicSpec[];
  readonly logger: Logger;
  readonly backoff: BackoffPolicy;
  /** Consumer settings besides the group id (isolation level, fetch sizes, timeouts). */
  readonly consumer?: Omit<ConsumerConfig, 'groupId'>;
  /** Partitions handled at once; read after `prepare` (the router learns it there). */
  readonly concurrency?: () => number;
  /** Counts retried batches and paused partitions (metrics). */
  readonly onRetry?: (tp: TopicPartition, pausedPartitions: number) => void;
  readonly onResume?: (pausedPartitions: number) => void;
  /** How often the loop logs its summary at info (records, rate, lag, failures); 0: never. */
  readonly summaryIntervalMs?: number;
  /**
   * A partition with lag and no progress this long marks the stage stalled (unhealthy) and
   * makes the loop leave and join the group again; 0: never. Default 90 s.
   */
  readonly stallAfterMs?: number;
}

interface Paused {
  readonly timer: NodeJS.Timeout;
  readonly partition: number;
}

const keyOf = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`;

/**
 * The bus's one Kafka consumer loop (sector sync, share router and any new stage):
 * boots with jittered backoff while the broker, the database or the topics are not there
 * yet, hands each partition's batch to the engine's commit step, pauses only the failing
 * partition and resumes it after a backoff, heartbeats between batches and stops
 * gracefully (the batch in hand finishes, the group is left).
 */
export class PartitionBatchLoop {
  private status: LoopState = 'idle';
  private booting?: Promise<void>;
  private admin?: Admin;
  private consumer?: Consumer;
  private initialised = false;
  private failure: { readonly message: string; readonly at: string } | null = null;
  private readonly stopping = new AbortController();
  /** Partitions positioned by the engine since the last group join. */
  private readonly positioned = new Set<string>();
  private readonly paused = new Map<string, Paused>();
  private readonly attempts = new Map<string, number>();
  /** Per partition, the pending move past a fetch of transaction markers only (see join). */
  private readonly markerSkips = new Map<string, Promise<void>>();
  private readonly summary: StageSummary;
  private readonly watch: StallWatch;
  private watchTimer?: NodeJS.Timeout;

  constructor(
    private readonly options: PartitionBatchLoopOptions,
    private readonly step: BatchLoopStep,
  ) {
    this.summary = new StageSummary(options.logger, options.summaryIntervalMs ?? 30_000);
    this.watch = new StallWatch(options.stallAfterMs ?? 90_000);
  }

  get state(): LoopState {
    return this.status;
  }

  get lastError(): { readonly message: string; readonly at: string } | null {
    return this.failure;
  }

  /**
   * A stage is unhealthy once one partition's batch failed this many times in a row (a producer
   * that cannot begin a transaction, a dead-letter topic it cannot write): the orchestrator
   * should look, even though the stage keeps retrying by itself.
   */
  static readonly UNHEALTHY_AFTER_FAILED_ATTEMPTS = 5;

  /** The most consecutive failed attempts of any partition's batch (0 when all flow). */
  get failedAttempts(): number {
    return Math.max(0, ...this.attempts.values());
  }

  /** Partitions behind with no progress for `stallAfterMs` (the loop rejoins meanwhile). */
  get stalledPartitions(): readonly TopicPartition[] {
    return this.watch.stalled;
  }

  get pausedPartitions(): number[] {
    return [...this.paused.values()].map((p) => p.partition).sort((a, b) => a - b);
  }

  /** Records a problem for /health without failing anything. */
  noteError(error: unknown): void {
    this.failure = { message: describeError(error), at: new Date().toISOString() };
  }

  /** Idempotent; resolves once the consumer runs, rejects on a failure that waiting cannot cure. */
  start(): Promise<void> {
    if (this.booting) return this.booting;
    this.status = 'starting';
    this.booting = this.boot().catch((error: unknown) => {
      this.status = 'failed';
      this.noteError(error);
      this.options.logger.fatal({ err: error }, 'consumer loop could not start');
      throw error;
    });
    return this.booting;
  }

  /** Finishes the batch in hand, leaves the group, closes the clients. */
  async stop(): Promise<void> {
    if (this.status === 'stopped' || this.status === 'stopping') return;
    this.status = 'stopping';
    this.stopping.abort();
    for (const { timer } of this.paused.values()) clearTimeout(timer);
    this.paused.clear();
    await this.booting?.catch(() => undefined);
    await this.closeClients();
    this.summary.stop();
    this.status = 'stopped';
  }

  private async rejoin(): Promise<void> {
    this.status = 'starting';
    await this.closeClients();
    this.booting = this.boot().catch((error: unknown) => {
      this.status = 'failed';
      this.noteError(error);
      this.options.logger.fatal({ err: error }, 'consumer loop could not join again');
    });
  }

  private async boot(): Promise<void> {
    const { logger, backoff } = this.options;
    for (let attempt = 0; this.status === 'starting'; attempt++) {
      try {
        if (!this.initialised) await this.step.init?.(this.stopping.signal);
        this.initialised = true;
        await this.join();
        return;
      } catch (error) {
        const verdict = classifyFailure(
          error,
          this.initialised ? ErrorCode.BOOT_FAILED : ErrorCode.INIT_FAILED,
        );
        if (verdict.kind !== 'transient') throw error;
        await this.closeClients();
        const delayMs = backoffDelay(attempt, backoff);
        this.noteError(error);
        logger.warn({ err: error, delayMs }, 'not ready; retrying the start');
        await sleep(delayMs, this.stopping.signal);
      }
    }
  }

  private async join(): Promise<void> {
    const { kafka, groupId, topics, logger } = this.options;
    const admin = kafka.admin();
    this.admin = admin;
    await admin.connect();
    if (this.options.owns) await ensureTopics(admin, this.options.owns, { logger });
    const found = await untilTopicsExist(
      admin,
      topics,
      () => this.status === 'starting',
      (missing, delayMs) => {
        this.noteError(`topic ${missing.join(', ')} does not exist yet`);
        logger.warn({ topics: missing, delayMs }, 'waiting for topics to be created');
      },
      this.stopping.signal,
    );
    if (!found) return;
    await this.step.prepare?.(admin);
    const consumer = kafka.consumer({ ...this.options.consumer, groupId });
    this.consumer = consumer;
    // A new generation may have moved partitions: the engine repositions each one.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.positioned.clear();
      // Failures counted for partitions this member may no longer own do not stay on /health.
      this.attempts.clear();
      const assigned = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => ({ topic, partition })),
      );
      this.watch.assigned(assigned);
      this.step.assigned?.(assigned);
      logger.info({ group: groupId, assignment: payload.memberAssignment }, 'joined the group');
    });
    // A fetch holding only transaction markers or aborted records (every share topic ends with
    // a commit marker; a broker restart leaves aborted ones) never reaches eachBatch: kafkajs
    // resolves it in memory and, without auto-commit, nothing saves it. The step and the group
    // would stay before the markers until the next record, and the ops console would call a
    // consumer that has read everything committed STALL. Such a fetch is committed empty.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize !== 0) return;
      const tp = { topic: payload.topic, partition: payload.partition };
      const key = keyOf(tp);
      const previous = this.markerSkips.get(key) ?? Promise.resolve();
      const next = previous.then(() => this.commitPastMarkers(tp, payload.lastOffset));
      this.markerSkips.set(key, next);
      void next.finally(() => {
        if (this.markerSkips.get(key) === next) this.markerSkips.delete(key);
      });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.noteError(payload.error);
      logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
      // kafkajs gives up on errors it does not retry: join again rather than sit dead.
      if (!payload.restart && this.status === 'running') void this.rejoin();
    });
    await consumer.connect();
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    if (this.status !== 'starting') return;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrency?.() ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.status = 'running';
    this.summary.start();
    this.startWatch();
    logger.info({ group: groupId, topics }, 'consumer loop running');
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale } = payload;
    const tp = { topic: batch.topic, partition: batch.partition };
    const key = keyOf(tp);
    const last = batch.messages.at(-1);
    if (!last || !isRunning() || isStale() || this.paused.has(key)) return;
    // Never commit a batch while an earlier move past markers is in flight: offsets only grow.
    await this.markerSkips.get(key);
    try {
      if (this.step.positionFor && !this.positioned.has(key)) {
        const target = await this.step.positionFor(tp, this.admin as Admin);
        this.positioned.add(key);
        if (target !== undefined && target !== batch.firstOffset()) {
          this.options.logger.info({ ...tp, offset: target }, 'seeking to the engine position');
          this.consumer?.seek({ ...tp, offset: target });
          return;
        }
      }
      const committed = await commitTraced(this.step, this.options.groupId, {
        ...tp,
        messages: batch.messages,
        lastOffset: batch.lastOffset(),
      });
      const failed = this.attempts.get(key);
      this.attempts.delete(key);
      this.watch.progressed(tp);
      // A state change, at info: the partition that was failing goes on.
      if (failed !== undefined) this.options.logger.info({ ...tp, attempts: failed }, 'recovered');
      this.summary.batch(key, batch.messages.length, Number(batch.offsetLag()));
      payload.resolveOffset(last.offset);
      if (committed.groupOffset !== undefined) {
        const partitions = [{ partition: tp.partition, offset: committed.groupOffset }];
        await payload
          .commitOffsetsIfNecessary({ topics: [{ topic: tp.topic, partitions }] })
          .catch((e: unknown) =>
            this.options.logger.warn({ err: e, ...tp }, 'offset commit failed'),
          );
      }
    } catch (error) {
      this.retryLater(key, tp, payload, error);
      return;
    }
    // Outside the try: a rebalance error must reach kafkajs so that it rejoins.
    await payload.heartbeat();
  }

  private async commitPastMarkers(tp: TopicPartition, lastOffset: string): Promise<void> {
    const key = keyOf(tp);
    if (this.status !== 'running' || this.paused.has(key)) return;
    // Before the engine positioned the partition, the fetch started from the group's offset.
    if (this.step.positionFor && !this.positioned.has(key)) return;
    try {
      const { groupOffset } = await this.step.commit({ ...tp, messages: [], lastOffset });
      if (groupOffset !== undefined) {
        await this.consumer?.commitOffsets([{ ...tp, offset: groupOffset }]);
      }
      this.watch.progressed(tp);
    } catch (error) {
      // Harmless: the next batch with records moves the position past the markers as well.
      this.options.logger.debug({ err: error, ...tp }, 'position past markers not saved');
    }
  }

  /** Pauses the partition with its offset unresolved; nothing was committed, nothing is lost. */
  private retryLater(
    key: string,
    tp: TopicPartition,
    payload: EachBatchPayload,
    error: unknown,
  ): void {
    const attempt = this.attempts.get(key) ?? 0;
    this.attempts.set(key, attempt + 1);
    // What the failure left is unknown (a fenced producer, another member's commits): the
    // engine positions the partition again from its committed state before the retry.
    this.positioned.delete(key);
    const delayMs = backoffDelay(attempt, this.options.backoff);
    this.noteError(error);
    this.summary.failure();
    this.options.logger.warn(
      { err: error, ...tp, attempt: attempt + 1, delayMs },
      'batch rolled back; partition paused until retry',
    );
    const resume = payload.pause();
    const timer = setTimeout(() => {
      this.paused.delete(key);
      this.options.onResume?.(this.paused.size);
      this.options.logger.info({ ...tp }, 'partition resumed');
      if (this.status === 'running' || this.status === 'starting') resume();
    }, delayMs);
    this.paused.set(key, { timer, partition: tp.partition });
    this.options.onRetry?.(tp, this.paused.size);
  }

  /** Checks the owned partitions' lag now and then; a stall makes the loop join again. */
  private startWatch(): void {
    const { stallAfterMs } = this.watch;
    if (stallAfterMs <= 0 || this.watchTimer) return;
    this.watchTimer = setInterval(
      () => void this.checkStall(),
      Math.max(1_000, Math.min(15_000, stallAfterMs / 3)),
    );
    this.watchTimer.unref();
  }

  private async checkStall(): Promise<void> {
    const admin = this.admin;
    if (this.status !== 'running' || !admin) return;
    const lags = await groupLag(admin, this.options.groupId, this.watch.owned()).catch(
      () => undefined,
    );
    if (!lags || this.status !== 'running') return;
    const stalled = this.watch.check(lags, (tp) => this.paused.has(keyOf(tp)));
    if (stalled.length === 0) return;
    this.noteError(
      `no progress for ${this.watch.stallAfterMs / 1000} s on ${stalled.map(keyOf).join(', ')} with records waiting`,
    );
    this.options.logger.warn({ stalled }, 'consumer stalled; joining the group again');
    await this.rejoin();
  }

  private async closeClients(): Promise<void> {
    clearInterval(this.watchTimer);
    this.watchTimer = undefined;
    await this.consumer?.disconnect().catch((e: unknown) => {
      this.options.logger.warn({ err: e }, 'leaving the group failed');
    });
    await this.step.close?.().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.admin = undefined;
  }
}

/** The next offset after a batch whose last record is `lastOffset`. */
export const offsetAfter = (lastOffset: string): string => (BigInt(lastOffset) + 1n).toString();
