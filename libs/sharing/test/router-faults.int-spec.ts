import { describe, expect, it } from 'vitest';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import {
  BUS_KAFKA_NAMES,
  ROUTER_PRINCIPAL,
  shareDeserializer,
  startCitizenChangedSerializer,
  wantedKafkaAcls,
  removeKafkaAcls,
  addKafkaAcls,
  SECTORS,
} from '@bus/contracts';
import { createKafka, createLogger, ensureTopics } from '@bus/platform';
import { loadShareRouterConfig, ShareRouterEngine, type ShareRouterConfig } from '@bus/sharing';
import {
  asKafkaPrincipal,
  connectedAdmin,
  createTestTopic,
  grantTestAcls,
  onCleanup,
  testStack,
  uniqueName,
  waitFor,
} from '@bus/testing';
import { startThrowawayBroker } from '../../population/test/support/throwaway-broker';
import { birthsAndMoves } from '../../sectors/test/population';

/** True once the router's committed offsets reach the end of every master partition. */
async function caughtUp(admin: Admin, config: ShareRouterConfig): Promise<boolean> {
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
async function committedRecords(kafka: Kafka, topic: string): Promise<KafkaMessage[]> {
  const seen: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('peek') });
  await consumer.connect();
  onCleanup(() => consumer.disconnect());
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(message) });
  return seen;
}

async function expectOncePerEvent(records: KafkaMessage[], expected: number): Promise<void> {
  const decode = shareDeserializer(testStack().schemaRegistryUrl, 'bhyt');
  const ids = await Promise.all(
    records.map(async (m) => (await decode.deserialize(m.value)).eventId),
  );
  expect(ids).toHaveLength(expected);
  expect(new Set(ids).size).toBe(expected);
}

describe('share router under faults', () => {
  it('recovers by itself from a broker SIGKILL under load: no restart, nothing lost, nothing twice', async () => {
    const broker = await startThrowawayBroker();
    const kafka = createKafka({ brokers: [broker.broker], clientId: uniqueName('router-faults') });
    const admin = kafka.admin();
    await admin.connect();
    onCleanup(() => admin.disconnect());
    const masterTopic = uniqueName('population.citizen-changed');
    const followsTopic = uniqueName('sync.follows');
    await ensureTopics(admin, [
      { topic: masterTopic, numPartitions: 3 },
      { topic: followsTopic, numPartitions: 3 },
    ]);
    const config = loadShareRouterConfig({
      KAFKA_BROKERS: broker.broker,
      SCHEMA_REGISTRY_URL: testStack().schemaRegistryUrl,
      MASTER_TOPIC: masterTopic,
      SHARE_TOPIC_PREFIX: `${uniqueName('rf')}.`,
      SHARE_ROUTER_GROUP: uniqueName('bus.share-router'),
      FOLLOWS_TOPIC: followsTopic,
    });
    const events = birthsAndMoves(1000, 'restart');
    const serializer = await startCitizenChangedSerializer(
      testStack().schemaRegistryUrl,
      masterTopic,
    );
    const messages = events.map((e) => ({ key: e.personalId, value: serializer.serialize(e) }));
    const send = async (part: typeof messages) => {
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      await producer.send({ topic: masterTopic, acks: -1, messages: part });
      await producer.disconnect();
    };
    await send(messages.slice(0, 1000));

    const engine = new ShareRouterEngine(config, createLogger('router-faults-test'));
    onCleanup(() => engine.stop());
    await engine.start();
    await waitFor(() => caughtUp(admin, config), {
      description: 'the first part routed',
      timeoutMs: 120_000,
    });
    // The rest arrives; the broker dies while the router is routing it.
    await send(messages.slice(1000));
    await broker.stop();
    await broker.start();

    await waitFor(async () => (await caughtUp(admin, config)) && engine.health().ok, {
      description: 'the same router caught up and healthy after the broker restart',
      timeoutMs: 240_000,
      intervalMs: 1_000,
    });
    const bhyt = await committedRecords(kafka, config.shareTopics.bhyt);
    await waitFor(() => bhyt.length >= events.length, {
      description: 'every record visible downstream',
    });
    await expectOncePerEvent(bhyt, events.length);
  }, 400_000);

  it('is unhealthy while its producer cannot commit, and heals itself once it can', async () => {
    const stack = testStack();
    const masterTopic = await createTestTopic('population.citizen-changed', 2);
    const config = loadShareRouterConfig({
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      MASTER_TOPIC: masterTopic,
      SHARE_TOPIC_PREFIX: `${uniqueName('rh')}.`,
      SHARE_ROUTER_GROUP: uniqueName('bus.share-router'),
      FOLLOWS_TOPIC: await createTestTopic('sync.follows', 2),
    });
    const names = {
      ...BUS_KAFKA_NAMES,
      masterTopic,
      shareTopic: (sector: (typeof SECTORS)[number]) => config.shareTopics[sector],
      routerGroup: config.groupId,
      followsTopic: config.followsTopic,
    };
    await grantTestAcls(names);
    const engine = await asKafkaPrincipal(
      ROUTER_PRINCIPAL,
      async () => new ShareRouterEngine(config, createLogger('router-health-test')),
    );
    onCleanup(() => engine.stop());
    await engine.start();
    expect(engine.health().ok).toBe(true);

    // The router may no longer write bhyt's share topic (an ACL removed by mistake): every
    // transaction fails, and the router keeps retrying with a new producer each time.
    const admin = await connectedAdmin();
    const bhytWrite = wantedKafkaAcls(SECTORS, names).filter(
      (acl) =>
        acl.principal === ROUTER_PRINCIPAL &&
        acl.resourceName === config.shareTopics.bhyt &&
        acl.operation === 'WRITE',
    );
    expect(bhytWrite).toHaveLength(1);
    await removeKafkaAcls(admin, bhytWrite);
    const events = birthsAndMoves(50, 'health');
    const serializer = await startCitizenChangedSerializer(stack.schemaRegistryUrl, masterTopic);
    const producer = kafka(stack).producer({ idempotent: true });
    await producer.connect();
    onCleanup(() => producer.disconnect());
    await producer.send({
      topic: masterTopic,
      acks: -1,
      messages: events.map((e) => ({ key: e.personalId, value: serializer.serialize(e) })),
    });
    await waitFor(() => !engine.health().ok, {
      description: 'health turns unhealthy while no transaction can commit',
      timeoutMs: 120_000,
    });
    const sick = engine.health();
    expect(sick.failedAttempts).toBeGreaterThanOrEqual(5);
    expect(sick.lastError?.message).toMatch(/authori[sz]/i);

    await addKafkaAcls(admin, bhytWrite);
    await waitFor(async () => (await caughtUp(admin, config)) && engine.health().ok, {
      description: 'the same router routes everything and is healthy again',
      timeoutMs: 120_000,
    });
    const bhyt = await committedRecords(kafka(stack), config.shareTopics.bhyt);
    await waitFor(() => bhyt.length >= events.length, { description: 'every record visible' });
    await expectOncePerEvent(bhyt, events.length);
  }, 300_000);
});

function kafka(stack: ReturnType<typeof testStack>): Kafka {
  return createKafka({ brokers: stack.kafkaBrokers, clientId: uniqueName('router-health') });
}
