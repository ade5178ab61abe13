import { join } from 'node:path';
import type { Admin, Consumer, Kafka, KafkaConfig, Producer } from 'kafkajs';
import { inject } from 'vitest';
import {
  createKafka,
  createPool,
  databaseUrlFor,
  dropDatabase,
  ensureDatabase,
  ensureTopics,
  kafkaSecurityFromEnv,
  type Pool,
} from '@bus/platform';
import { onCleanup } from './cleanup';
import type { StackEndpoints } from './stack-endpoints';
import { uniqueName } from './unique';

export function testStack(): StackEndpoints {
  return inject('stack');
}

export function testKafka(clientId = uniqueName('client')): Kafka {
  return createKafka({ brokers: testStack().kafkaBrokers, clientId });
}

/**
 * A client that connects as one of the stack's service principals (`sync-bhyt`, `relay`…),
 * with its password file, or with the password given; `overrides` as for createKafka.
 */
export function kafkaAs(
  principal: string,
  options: { password?: string; overrides?: Partial<KafkaConfig> } = {},
): Kafka {
  const { clientEnv, kafkaPasswordsDir } = testStack();
  if (!clientEnv?.KAFKA_SSL_CA_FILE || !kafkaPasswordsDir)
    throw new Error('this test needs the secured stack (SASL_SSL): npm run stack:up');
  const security = kafkaSecurityFromEnv({
    KAFKA_SASL_USERNAME: principal,
    KAFKA_SSL_CA_FILE: clientEnv.KAFKA_SSL_CA_FILE,
    ...(options.password === undefined
      ? { KAFKA_SASL_PASSWORD_FILE: join(kafkaPasswordsDir, principal) }
      : { KAFKA_SASL_PASSWORD: options.password }),
  });
  return createKafka({
    brokers: testStack().kafkaBrokers,
    clientId: uniqueName(principal),
    security,
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
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

/** A fresh topic with a unique name, every partition led (platform's ensureTopics); deleted after the test. */
export async function createTestTopic(prefix: string, numPartitions = 1): Promise<string> {
  return createTopicNamed(uniqueName(prefix), numPartitions);
}

/** The same for a name the test must choose itself (a `<group>.dlt`, say): keep it unique. */
export async function createTopicNamed(topic: string, numPartitions = 1): Promise<string> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [{ topic, numPartitions }]);
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
