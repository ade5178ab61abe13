import type { Admin, Kafka, Producer } from 'kafkajs';
import { ensureTopics } from '@bus/platform';
import type { Logger } from 'pino';
import type { RawRecord, SectorSyncOptions } from '../application/sector-sync.options';
import {
  DELIVERY_RECEIPTS_PARTITIONS,
  FOLLOWS_PARTITIONS,
  deadLetterHeaders,
  syncProgressKey,
  type DeadLetterCause,
  type SyncProgress,
} from '@bus/contracts';

export interface DeadLetter {
  readonly record: RawRecord;
  readonly cause: DeadLetterCause;
  readonly eventId?: string;
}

/** Dead letters and progress reports (receipts go through their own relay), and the topics. */
export class SyncProducer {
  private readonly producer: Producer;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: SectorSyncOptions,
    private readonly logger: Logger,
  ) {
    // Idempotent: a retried send after a lost ack is not duplicated by the broker.
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  async connect(admin: Admin): Promise<void> {
    await this.producer.connect();
    await this.ensureTopics(admin);
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  /**
   * Awaited with acks=-1 before the database transaction that moves the offset past
   * these records commits. A failure there retries the batch and may publish the same
   * dead letter again: the DLT is at-least-once, and `dlt.original.topic/partition/offset`
   * identify a duplicate.
   */
  async publishDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const failedAt = new Date();
    await this.producer.send({
      topic: this.options.deadLetterTopic,
      acks: -1,
      messages: letters.map(({ record, cause }) => ({
        key: record.key,
        value: record.value,
        headers: deadLetterHeaders(
          record.headers,
          { ...record, group: this.options.groupId },
          cause,
          failedAt,
        ),
      })),
    });
  }

  async publishProgress(reports: readonly SyncProgress[]): Promise<void> {
    if (reports.length === 0) return;
    await this.producer.send({
      topic: this.options.progressTopic,
      acks: -1,
      messages: reports.map((report) => ({
        key: syncProgressKey(report.group, report.topic, report.partition),
        value: JSON.stringify(report),
      })),
    });
  }

  private async ensureTopics(admin: Admin): Promise<void> {
    // Another instance may create them at the same moment: that is fine.
    await ensureTopics(
      admin,
      [
        { topic: this.options.deadLetterTopic, numPartitions: this.options.deadLetterPartitions },
        {
          topic: this.options.progressTopic,
          numPartitions: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
        {
          topic: this.options.follows.topic,
          numPartitions: FOLLOWS_PARTITIONS,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
        ...(this.options.receipts.enabled
          ? [{ topic: this.options.receipts.topic, numPartitions: DELIVERY_RECEIPTS_PARTITIONS }]
          : []),
      ],
      { logger: this.logger },
    );
  }
}
