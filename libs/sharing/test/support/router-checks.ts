import { expect } from 'vitest';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { shareDeserializer } from '@bus/contracts';
import type { ShareRouterConfig } from '@bus/sharing';
import { onCleanup, testStack, uniqueName } from '@bus/testing';

/** True once the router's committed offsets reach the end of every master partition. */
export async function caughtUp(admin: Admin, config: ShareRouterConfig): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(config.masterTopic);
  const [committed] = await admin.fetchOffsets({
    groupId: config.groupId,
    topics: [config.masterTopic],
  });
  return ends.every(
    (end) =>
      end.high === end.low ||
      committed?.partitions.find((p) => p.partition === end.partition)?.offset === end.high,
  );
}

/** Every committed record of a share topic, read with read_committed from its start. */
export async function committedRecords(kafka: Kafka, topic: string): Promise<KafkaMessage[]> {
  const seen: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('peek') });
  await consumer.connect();
  onCleanup(() => consumer.disconnect());
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(message) });
  return seen;
}

export async function expectOncePerEvent(records: KafkaMessage[], expected: number): Promise<void> {
  const decode = shareDeserializer(testStack().schemaRegistryUrl, 'bhyt');
  const ids = await Promise.all(
    records.map(async (m) => (await decode.deserialize(m.value)).eventId),
  );
  expect(ids).toHaveLength(expected);
  expect(new Set(ids).size).toBe(expected);
}
