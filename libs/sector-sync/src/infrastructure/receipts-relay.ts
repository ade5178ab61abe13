import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { backoffDelay, describeError, sleep, type BackoffPolicy } from '@bus/platform';
import type { ReceiptsRepository } from './receipts.repository';

export interface ReceiptsRelayOptions {
  readonly topic: string;
  /** Receipts per transaction and per producer.send. */
  readonly batchSize: number;
  /** The safety poll beside the in-process nudge after each committed batch. */
  readonly pollIntervalMs: number;
  /** Published receipts older than this are pruned while the relay is idle; 0 keeps them. */
  readonly retainPublishedSeconds: number;
  readonly pruneBatchSize: number;
  readonly backoff: BackoffPolicy;
}

/**
 * Publishes the sector's receipts to the receipts topic. Each round is one short
 * transaction: lock the oldest unpublished receipts (SKIP LOCKED, so several instances of a
 * sector share the work), send them with acks=all, mark them, commit. A relay that dies
 * after the send and before the commit re-sends the same receipts: the ledger's insert is
 * idempotent. Order does not matter to the ledger, so no leader election is needed.
 */
export class ReceiptsRelay {
  private producer?: Producer;
  private running?: Promise<void>;
  private readonly stopping = new AbortController();
  private wake?: AbortController;
  private woken = false;

  constructor(
    private readonly pool: Pool,
    private readonly kafka: Kafka,
    private readonly repository: ReceiptsRepository,
    private readonly options: ReceiptsRelayOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  /** A batch with receipts committed: publish now rather than at the next poll. */
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
        this.logger.warn({ err: describeError(error) }, 'receipts left for the next start');
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
          { err: describeError(error), backoffMs },
          'receipts relay failed; retrying',
        );
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await sleep(backoffMs, this.stopping.signal);
      }
    }
  }

  private async publishOnce(): Promise<number> {
    const producer = await this.connectedProducer();
    const client = await this.pool.connect();
    let failed = false;
    try {
      await client.query('BEGIN');
      const pending = await this.repository.lockPending(client, this.options.batchSize);
      if (pending.length > 0) {
        await producer.send({
          topic: this.options.topic,
          acks: -1,
          messages: pending.map(({ receipt }) => ({
            key: receipt.personalId,
            value: JSON.stringify(receipt),
          })),
        });
        await this.repository.markPublished(
          client,
          pending.map((p) => p.seq),
        );
      }
      await client.query('COMMIT');
      return pending.length;
    } catch (error) {
      failed = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(failed);
    }
  }

  /** A few small deletes per idle round: pruning never competes with a backlog. */
  private async prune(): Promise<void> {
    const { retainPublishedSeconds, pruneBatchSize } = this.options;
    if (retainPublishedSeconds <= 0) return;
    for (let round = 0; round < 10 && !this.woken && !this.stopping.signal.aborted; round++) {
      const deleted = await this.repository.prunePublished(
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
