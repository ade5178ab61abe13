import { citizenChangedDeserializer, type CitizenChanged } from '@bus/contracts';
import { createKafka, createLogger, createPool, type Pool } from '@bus/platform';
import {
  createOutboxRelay,
  createPopulationServices,
  migratePopulation,
  type OutboxRelay,
  type PopulationConfig,
  type PopulationServices,
  type RegisterBirthCommand,
} from '@bus/population';
import { createTestDatabase, onCleanup, testStack, uniqueName } from '@bus/testing';

export interface PopulationTestDb {
  readonly databaseUrl: string;
  readonly pool: Pool;
  readonly services: PopulationServices;
}

/** A migrated population database of the test's own, with the application layer on it. */
export async function populationTestDb(): Promise<PopulationTestDb> {
  const databaseUrl = await createTestDatabase('population');
  await migratePopulation(databaseUrl);
  const pool = createPool(databaseUrl, 8);
  onCleanup(() => pool.end());
  return { databaseUrl, pool, services: createPopulationServices(pool) };
}

export function relayConfig(
  databaseUrl: string,
  topic: string,
  brokers: readonly string[] = testStack().kafkaBrokers,
): PopulationConfig {
  return {
    port: 0,
    databaseUrl,
    kafkaBrokers: brokers,
    schemaRegistryUrl: testStack().schemaRegistryUrl,
    topic,
    masterTopic: { partitions: 3, replicationFactor: 1, minCompactionLagMs: 86_400_000 },
    relay: { enabled: true, batchSize: 500, pollIntervalMs: 1_000 },
    http: { bodyLimit: '64kb', bulkLoadBodyLimit: '16mb' },
  };
}

/** An in-process relay, stopped after the test. */
export function startTestRelay(
  databaseUrl: string,
  topic: string,
  brokers?: readonly string[],
): OutboxRelay {
  const relay = createOutboxRelay({
    config: relayConfig(databaseUrl, topic, brokers),
    logger: createLogger('test-relay', process.env.LOG_LEVEL ?? 'silent'),
    clientId: uniqueName('relay'),
  });
  relay.start();
  onCleanup(() => relay.stop());
  return relay;
}

export interface ReceivedEvent {
  readonly key: string;
  readonly partition: number;
  readonly offset: string;
  readonly raw: Buffer;
  readonly value: CitizenChanged;
}

/** Consumes the topic from the beginning, decoding through the registry; read `events` as it fills. */
export async function collectEvents(
  topic: string,
  brokers: readonly string[] = testStack().kafkaBrokers,
): Promise<ReceivedEvent[]> {
  const events: ReceivedEvent[] = [];
  const deserializer = citizenChangedDeserializer(testStack().schemaRegistryUrl);
  const kafka = createKafka({ brokers, clientId: uniqueName('collector') });
  const consumer = kafka.consumer({ groupId: uniqueName('collector') });
  await consumer.connect();
  onCleanup(() => consumer.disconnect());
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const raw = message.value as Buffer;
      events.push({
        key: String(message.key),
        partition,
        offset: message.offset,
        raw,
        value: await deserializer.deserialize(raw),
      });
    },
  });
  return events;
}

/** Per key, the versions in arrival order. */
export function versionsByKey(events: readonly ReceivedEvent[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const e of events) byKey.set(e.key, [...(byKey.get(e.key) ?? []), Number(e.value.version)]);
  return byKey;
}

/** True when each key's versions arrive as 1..n in order, duplicates (redeliveries) allowed. */
export function inPerKeyOrder(versions: readonly number[]): boolean {
  let highest = 0;
  for (const v of versions) {
    if (v > highest + 1) return false; // a gap: something arrived before its predecessor
    highest = Math.max(highest, v);
  }
  return true;
}

// Phường Hoàn Kiếm, Hà Nội.
export const HANOI_COMMUNE = '00070';

export function birth(
  overrides: Partial<RegisterBirthCommand['child']> = {},
): RegisterBirthCommand {
  return {
    child: {
      fullName: 'Nguyễn Văn An',
      gender: 'MALE',
      dateOfBirth: '1990-05-17',
      ...overrides,
    },
    registrationCommuneCode: HANOI_COMMUNE,
    permanentResidence: { communeCode: HANOI_COMMUNE, address: '12 Hàng Bài' },
  };
}
