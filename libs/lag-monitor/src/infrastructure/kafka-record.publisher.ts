import { ErrorCode, TransientError } from '@bus/platform';
import type { Producer } from 'kafkajs';
import type { OutgoingRecord, RecordPublisher } from '../application/ports';

/** Sends one record with the idempotent producer and waits for all in-sync replicas. */
export class KafkaRecordPublisher implements RecordPublisher {
  constructor(private readonly producer: Producer) {}

  async publish(record: OutgoingRecord): Promise<{ partition: number; offset: number }> {
    const [meta] = await this.producer.send({
      topic: record.topic,
      acks: -1,
      messages: [
        {
          key: record.key,
          value: record.value,
          headers: { ...record.headers },
          ...(record.partition === undefined ? {} : { partition: record.partition }),
        },
      ],
    });
    if (!meta) {
      throw new TransientError(
        ErrorCode.PUBLISH_UNACKNOWLEDGED,
        `no acknowledgement from ${record.topic}`,
      );
    }
    return { partition: meta.partition, offset: Number(meta.baseOffset ?? meta.offset) };
  }
}
