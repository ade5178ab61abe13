import type { KafkaMessage, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import {
  DELIVERY_RECEIPTS_PARTITIONS,
  deadLetterHeaders,
  parseDeliveryReceipt,
  sharingPolicy,
  type DeliveryReceipt,
} from '@bus/contracts';
import {
  classifyFailure,
  createKafka,
  describeError,
  createPool,
  ErrorCode,
  migrate,
  offsetAfter,
  PartitionBatchLoop,
  type BatchCommitted,
  type PartitionBatch,
} from '@bus/platform';
import { join } from 'node:path';
import type { LedgerConfig } from '../application/ledger.config';
import { LedgerRepository } from './ledger.repository';

/**
 * The ledger's ingest on the bus's one consumer loop: each batch of receipts becomes one
 * INSERT (idempotent on recipient, event and time), then the group offset is committed.
 * At-least-once delivery plus the idempotent insert: each receipt is stored once.
 */
export class LedgerIngestEngine {
  readonly registry = new Registry();
  readonly pool: Pool;
  readonly repository: LedgerRepository;
  private readonly ingested = new Counter({
    name: 'ledger_receipts_ingested_total',
    help: 'Delivery receipts stored in the ledger (re-sent ones not counted)',
    registers: [this.registry],
  });
  private readonly deadLettered = new Counter({
    name: 'ledger_receipts_dead_lettered_total',
    help: 'Receipts the ledger could not read, sent to its dead-letter topic',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly batchSeconds = new Histogram({
    name: 'ledger_batch_duration_seconds',
    help: 'Time to store one batch of receipts',
    registers: [this.registry],
  });
  private readonly loop: PartitionBatchLoop;
  private producer?: Producer;
  private starting?: Promise<void>;
  private retention?: NodeJS.Timeout;

  constructor(
    private readonly config: LedgerConfig,
    private readonly logger: Logger,
  ) {
    this.pool = createPool(config.databaseUrl, 4);
    this.repository = new LedgerRepository(this.pool);
    const kafka = createKafka({ brokers: config.brokers, clientId: config.groupId, logger });
    this.loop = new PartitionBatchLoop(
      {
        kafka,
        groupId: config.groupId,
        topics: [config.receiptsTopic],
        logger,
        backoff: { initialMs: 250, maxMs: 15_000 },
        consumer: { maxWaitTimeInMs: 500, allowAutoTopicCreation: false },
        concurrency: () => DELIVERY_RECEIPTS_PARTITIONS,
        // Its dead letters, and the receipts topic as the sync services create it: the ledger
        // does not wait for the first sector to boot.
        owns: [
          { topic: config.deadLetterTopic, numPartitions: 1 },
          { topic: config.receiptsTopic, numPartitions: DELIVERY_RECEIPTS_PARTITIONS },
        ],
      },
      {
        init: () => this.init(),
        prepare: async () => {
          this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
          await this.producer.connect();
        },
        commit: (batch) => this.commit(batch),
        close: async () => {
          await this.producer?.disconnect();
        },
      },
    );
  }

  get isRunning(): boolean {
    return this.loop.state === 'running';
  }

  start(): Promise<void> {
    this.starting ??= this.loop.start();
    // Retention also runs daily, not only at boot: a ledger that runs for months drops too.
    this.retention ??= setInterval(() => void this.dropExpired(), 86_400_000).unref();
    return this.starting;
  }

  async stop(): Promise<void> {
    clearInterval(this.retention);
    await this.loop.stop();
    await this.pool.end().catch(() => undefined);
  }

  /** Migrations, the shipped policy's texts, and the partitions past retention dropped. */
  private async init(): Promise<void> {
    await migrate({
      databaseUrl: this.config.databaseUrl,
      dir: join(__dirname, 'migrations'),
      logger: this.logger,
    });
    await this.repository.recordPolicy(sharingPolicy());
    await this.dropExpired();
  }

  private async dropExpired(): Promise<void> {
    try {
      const dropped = await this.repository.dropExpired(new Date(), this.config.retentionMonths);
      if (dropped.length > 0) {
        this.logger.info({ dropped }, 'ledger partitions past retention dropped');
      }
    } catch (error) {
      this.logger.warn({ err: describeError(error) }, 'ledger retention failed; retried tomorrow');
    }
  }

  private async commit(batch: PartitionBatch): Promise<BatchCommitted> {
    const endTimer = this.batchSeconds.startTimer();
    const receipts: DeliveryReceipt[] = [];
    const poison: { message: KafkaMessage; reason: string; text: string }[] = [];
    for (const message of batch.messages) {
      try {
        receipts.push(parseDeliveryReceipt(String(message.value ?? '')));
      } catch (error) {
        const verdict = classifyFailure(error, ErrorCode.RECEIPT_INVALID);
        if (verdict.kind === 'transient') throw error;
        poison.push({ message, reason: verdict.reason, text: verdict.message });
      }
    }
    await this.repository.ensurePartitions(receipts);
    const stored = await this.repository.insert(this.pool, receipts);
    await this.publishDeadLetters(batch, poison);
    this.ingested.inc(stored);
    endTimer();
    return { groupOffset: offsetAfter(batch.lastOffset) };
  }

  /** Before the offset moves past them: a dead letter is never lost, at worst repeated. */
  private async publishDeadLetters(
    batch: PartitionBatch,
    poison: readonly { message: KafkaMessage; reason: string; text: string }[],
  ): Promise<void> {
    if (poison.length === 0) return;
    const failedAt = new Date();
    for (const p of poison) {
      this.deadLettered.inc({ reason: p.reason });
      this.logger.warn(
        {
          topic: batch.topic,
          partition: batch.partition,
          offset: p.message.offset,
          reason: p.reason,
        },
        `dead-lettered: ${p.text}`,
      );
    }
    await (this.producer as Producer).send({
      topic: this.config.deadLetterTopic,
      acks: -1,
      messages: poison.map(({ message, reason, text }) => ({
        key: message.key,
        value: message.value,
        headers: deadLetterHeaders(
          message.headers,
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            group: this.config.groupId,
          },
          { reason, message: text },
          failedAt,
        ),
      })),
    });
  }
}
