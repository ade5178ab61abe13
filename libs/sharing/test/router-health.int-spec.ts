import { describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import {
  addKafkaAcls,
  BUS_KAFKA_NAMES,
  removeKafkaAcls,
  ROUTER_PRINCIPAL,
  SECTORS,
  startCitizenChangedSerializer,
  wantedKafkaAcls,
} from '@bus/contracts';
import { createKafka, createLogger } from '@bus/platform';
import { loadShareRouterConfig, ShareRouterEngine } from '@bus/sharing';
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
import { birthsAndMoves } from '../../sectors/test/population';
import { caughtUp, committedRecords, expectOncePerEvent } from './support/router-checks';

describe('share router health', () => {
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
