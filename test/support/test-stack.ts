import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { inject } from 'vitest';
import {
  createKafka,
  createPool,
  databaseUrlFor,
  dropDatabase,
  ensureDatabase,
  type Pool,
} from '@bus/platform';
import { onCleanup } from './cleanup';
import type { StackEndpoints } from './stack-endpoints';
import { uniqueName } from './unique';
import { waitFor } from './wait-for';

export function testStack(): StackEndpoints {
  return inject('stack');
}

export function testKafka(clientId = uniqueName('client')): Kafka {
  return createKafka({ brokers: testStack().kafkaBrokers, clientId });
}

/** Connected clients that are disconnected after the test. */
export async function connectedAdmin(kafka: Kafka = testKafka()): Promise<Admin> {
  const admin = kafka.admin();
  await admin.connect();
  onCleanup(() => admin.disconnect());
  return admin;
}

export async function connectedProducer(
  kafka: Kafka = testKafka(),
  config: Parameters<Kafka['producer']>[0] = {},
): Promise<Producer> {
  const producer = kafka.producer(config);
  await producer.connect();
  onCleanup(() => producer.disconnect());
  return producer;
}

export async function connectedConsumer(
  groupId: string,
  kafka: Kafka = testKafka(),
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  onCleanup(() => consumer.disconnect());
  return consumer;
}

/**
 * A fresh topic with a unique name; deleted after the test. kafkajs's own
 * `waitForLeaders` gives up when KRaft briefly answers "unknown topic" right after
 * the creation, so readiness is awaited here instead: every partition has a leader.
 */
export async function createTestTopic(prefix: string, numPartitions = 1): Promise<string> {
  return createTopicNamed(uniqueName(prefix), numPartitions);
}

/** The same for a name the test must choose itself (a `<group>.dlt`, say): keep it unique. */
export async function createTopicNamed(topic: string, numPartitions = 1): Promise<string> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: false });
    await waitFor(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        const partitions = topics[0]?.partitions ?? [];
        return partitions.length === numPartitions && partitions.every((p) => p.leader >= 0);
      },
      { description: `leaders for every partition of ${topic}`, timeoutMs: 30_000 },
    );
  } finally {
    await admin.disconnect();
  }
  onCleanup(async () => {
    const cleaner = testKafka().admin();
    await cleaner.connect();
    await cleaner.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await cleaner.disconnect();
  });
  return topic;
}

/** A fresh database with a unique name; dropped after the test. */
export async function createTestDatabase(prefix: string): Promise<string> {
  const url = databaseUrlFor(testStack().databaseUrl, uniqueName(prefix));
  await ensureDatabase(url);
  onCleanup(() => dropDatabase(url));
  return url;
}

/** A pool on a fresh database, closed after the test (before the database is dropped). */
export async function createTestPool(prefix: string): Promise<{ pool: Pool; databaseUrl: string }> {
  const databaseUrl = await createTestDatabase(prefix);
  const pool = createPool(databaseUrl, 4);
  onCleanup(() => pool.end());
  return { pool, databaseUrl };
}
