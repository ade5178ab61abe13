import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { ErrorCode, TransientError } from '@bus/platform';
import type { KafkaRecord, OffsetRange, TopicReader } from '../application/ports';

/**
 * Reads offset ranges of a topic with a throw-away consumer that never commits, so
 * inspecting a dead-letter topic moves nobody's offsets. Its group id does not start
 * with `bus.`, and an empty group without offsets is dropped by the broker.
 */
export class KafkaTopicReader implements TopicReader {
  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly timeoutMs = 20_000,
  ) {}

  async partitions(topic: string): Promise<{ partition: number; start: number; end: number }[]> {
    const topics = await this.admin.listTopics();
    if (!topics.includes(topic)) return [];
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets
      .map((o) => ({ partition: o.partition, start: Number(o.low), end: Number(o.high) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async read(topic: string, ranges: readonly OffsetRange[]): Promise<KafkaRecord[]> {
    const wanted = ranges.filter((r) => r.to > r.from);
    if (wanted.length === 0) return [];
    const consumer = this.kafka.consumer({
      groupId: `ops-console.reader.${randomUUID()}`,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 200,
    });
    const records: KafkaRecord[] = [];
    const remaining = new Map(wanted.map((r) => [r.partition, r]));
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const reached = (partition: number, offset: number) => {
      const range = remaining.get(partition);
      if (range && offset >= range.to - 1) {
        remaining.delete(partition);
        if (remaining.size === 0) finish();
      }
    };
    // A batch of transaction markers only never reaches eachMessage, but still ends a batch.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic === topic) reached(payload.partition, Number(payload.lastOffset));
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const range = remaining.get(partition);
          if (!range) return;
          const offset = Number(message.offset);
          if (offset >= range.from && offset < range.to) {
            records.push({
              topic,
              partition,
              offset,
              timestamp: new Date(Number(message.timestamp)).toISOString(),
              key: message.key,
              value: message.value,
              headers: stringHeaders(message.headers),
            });
          }
          reached(partition, offset);
        },
      });
      for (const range of wanted)
        consumer.seek({ topic, partition: range.partition, offset: String(range.from) });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
      });
      const outcome = await Promise.race([finished, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        throw new TransientError(
          ErrorCode.TOPIC_READ_TIMEOUT,
          `Reading ${topic} did not reach the end of partitions ${[...remaining.keys()].join(', ')} in ${this.timeoutMs} ms`,
        );
      }
      return records;
    } finally {
      await consumer.disconnect();
    }
  }
}

function stringHeaders(
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) out[name] = last.toString();
  }
  return out;
}
