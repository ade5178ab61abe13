import type { Kafka, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import {
  backoffDelay,
  describeError,
  inTransaction,
  sleep,
  type BackoffPolicy,
} from '@bus/platform';

type Queryable = Pick<PoolClient, 'query'>;

/** One row of a framework outbox table, ready to send. */
export interface OutboxMessage {
  readonly seq: string;
  readonly key: string;
  readonly value: string;
}

/** A framework table that is its own outbox (receipts, follows): what the relay needs of it. */
export interface OutboxSource {
  /** For logs: `receipts`, `follows`. */
  readonly name: string;
  /** The oldest unpublished rows, locked (`FOR UPDATE SKIP LOCKED`). */
  lockPending(tx: Queryable, limit: number): Promise<OutboxMessage[]>;
  markPublished(tx: Queryable, seqs: readonly string[]): Promise<void>;
  /** Deletes at most `limit` rows published more than `olderThanSeconds` ago; 0 keeps them. */
  prunePublished(db: Queryable, olderThanSeconds: number, limit: number): Promise<number>;
}

export interface SyncOutboxRelayOptions {
  readonly topic: string;
  /** Receipts per transaction and per producer.send. */
  readonly batchSize: number;
  /** The safety poll beside the in-process nudge after each committed batch. */
  readonly pollIntervalMs: number;
  /** Published rows older than this are pruned while the relay is idle; 0 keeps them. */
  readonly retainPublishedSeconds: number;
  readonly pruneBatchSize: number;
  readonly backoff: BackoffPolicy;
}

/**
 * Publishes a framework outbox table (receipts, follows) to its topic. Each round is one
 * short transaction: lock the oldest unpublished rows (SKIP LOCKED, so several instances of
 * a sector share the work), send them with acks=all, mark them, commit. A relay that dies
 * after the send and before the commit re-sends the same rows: readers are idempotent
 * (the ledger's insert; the last value per key of a compacted topic).
 */
export class SyncOutboxRelay {
  private producer?: Producer;
  private running?: Promise<void>;
  private readonly stopping = new AbortController();
  private wake?: AbortController;
  private woken = false;

  constructor(
    private readonly pool: Pool,
    private readonly kafka: Kafka,
    private readonly source: OutboxSource,
    private readonly options: SyncOutboxRelayOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  /** A batch that wrote rows committed: publish now rather than at the next poll. */
  nudge(): void {
    this.woken = true;
    this.wake?.abort();
  }

  /** Publishes what the last batches left (best effort: what fails waits for the next start). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake?.abort();
    await this.running;
    if (this.running) {
      try {
        while ((await this.publishOnce()) === this.options.batchSize);
      } catch (error) {
        this.logger.warn(
          { err: describeError(error), outbox: this.source.name },
          'outbox rows left for the next start',
        );
      }
    }
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping.signal.aborted) {
      try {
        this.woken = false;
        const sent = await this.publishOnce();
        attempt = 0;
        if (sent < this.options.batchSize) {
          await this.prune();
          await this.idle(this.options.pollIntervalMs);
        }
      } catch (error) {
        const backoffMs = backoffDelay(attempt++, this.options.backoff);
        this.logger.warn(
          { err: describeError(error), backoffMs, outbox: this.source.name },
          'outbox relay failed; retrying',
        );
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await sleep(backoffMs, this.stopping.signal);
      }
    }
  }

  private async publishOnce(): Promise<number> {
    const producer = await this.connectedProducer();
    return inTransaction(this.pool, async (client) => {
      const pending = await this.source.lockPending(client, this.options.batchSize);
      if (pending.length === 0) return 0;
      await producer.send({
        topic: this.options.topic,
        acks: -1,
        messages: pending.map(({ key, value }) => ({ key, value })),
      });
      await this.source.markPublished(
        client,
        pending.map((p) => p.seq),
      );
      return pending.length;
    });
  }

  /** A few small deletes per idle round: pruning never competes with a backlog. */
  private async prune(): Promise<void> {
    const { retainPublishedSeconds, pruneBatchSize } = this.options;
    if (retainPublishedSeconds <= 0) return;
    for (let round = 0; round < 10 && !this.woken && !this.stopping.signal.aborted; round++) {
      const deleted = await this.source.prunePublished(
        this.pool,
        retainPublishedSeconds,
        pruneBatchSize,
      );
      if (deleted < pruneBatchSize) return;
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // The sync service's producer creates the topic at boot (SyncProducer).
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async idle(ms: number): Promise<void> {
    if (this.woken || this.stopping.signal.aborted) return;
    const wake = new AbortController();
    this.wake = wake;
    const onStop = () => wake.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    await sleep(ms, wake.signal);
    this.stopping.signal.removeEventListener('abort', onStop);
    this.wake = undefined;
  }
}
