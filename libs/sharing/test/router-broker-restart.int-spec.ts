import { describe, it } from 'vitest';
import { startCitizenChangedSerializer } from '@bus/contracts';
import { createKafka, createLogger, ensureTopics } from '@bus/platform';
import { loadShareRouterConfig, ShareRouterEngine } from '@bus/sharing';
import { onCleanup, testStack, uniqueName, waitFor } from '@bus/testing';
import { startThrowawayBroker } from '../../population/test/support/throwaway-broker';
import { birthsAndMoves } from '../../sectors/test/population';
import { caughtUp, committedRecords, expectOncePerEvent } from './support/router-checks';

describe('share router: a broker restart', () => {
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
      // After the restart the group waits out the member the broker remembers.
      SHARE_ROUTER_SESSION_TIMEOUT_MS: '10000',
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
});
