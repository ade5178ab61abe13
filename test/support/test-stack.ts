import { join } from 'node:path';
import type { Admin, Consumer, Kafka, KafkaConfig, KafkaMessage, Producer } from 'kafkajs';
import { inject } from 'vitest';
import {
  addKafkaAcls,
  kafkaAclDiff,
  removeKafkaAcls,
  SECTORS,
  wantedKafkaAcls,
  type BusKafkaNames,
} from '@bus/contracts';
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

/**
 * Runs `create` with the environment naming `principal` as the Kafka identity, then puts the
 * harness's back: an engine made inside (it makes its Kafka client in its constructor) keeps
 * that principal for its whole life, while the test's own clients stay admin.
 */
export async function asKafkaPrincipal<T>(principal: string, create: () => Promise<T>): Promise<T> {
  const dir = testStack().kafkaPasswordsDir;
  if (!dir) throw new Error('this test needs the secured stack (SASL_SSL): npm run stack:up');
  const saved = {
    KAFKA_SASL_USERNAME: process.env.KAFKA_SASL_USERNAME,
    KAFKA_SASL_PASSWORD_FILE: process.env.KAFKA_SASL_PASSWORD_FILE,
  };
  process.env.KAFKA_SASL_USERNAME = principal;
  process.env.KAFKA_SASL_PASSWORD_FILE = join(dir, principal);
  try {
    return await create();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * Grants the bus's ACLs (the same derivation as the stack's) on a test's private names, and
 * removes exactly the ones it added after the test.
 */
export async function grantTestAcls(names: BusKafkaNames): Promise<void> {
  const admin = await connectedAdmin();
  const { missing } = await kafkaAclDiff(admin, wantedKafkaAcls(SECTORS, names));
  await addKafkaAcls(admin, missing);
  onCleanup(async () => {
    const cleaner = await connectedAdmin();
    await removeKafkaAcls(cleaner, missing);
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

/** Every record of a topic from its beginning, as they arrive: read the array as it fills. */
export async function collectRecords(
  topic: string,
  kafka: Kafka = testKafka(),
): Promise<KafkaMessage[]> {
  const received: KafkaMessage[] = [];
  const consumer = await connectedConsumer(uniqueName('collector'), kafka);
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
  return received;
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
