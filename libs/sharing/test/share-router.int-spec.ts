import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { DLT_HEADERS, shareDeserializer, startCitizenChangedSerializer } from '@bus/contracts';
import { loadShareRouterConfig } from '@bus/sharing';
import {
  connectedAdmin,
  connectedConsumer,
  connectedProducer,
  createTestTopic,
  testStack,
  uniqueName,
  waitFor,
} from '@bus/testing';
import { freePort, killHard, spawnApp, stopGracefully } from '../../sectors/test/child-app';
import { birthsAndMoves } from '../../sectors/test/population';

/** Every committed record of a topic, as a read_committed consumer sees it. */
async function follow(topic: string): Promise<{ partition: number; message: KafkaMessage }[]> {
  const seen: { partition: number; message: KafkaMessage }[] = [];
  const consumer = await connectedConsumer(uniqueName('follow'));
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => void seen.push({ partition, message }),
  });
  return seen;
}

/** The master partitions the instance was given at its last group join (from its log). */
function assignedTo(output: string, topic: string): number[] {
  const joins = output
    .split('\n')
    .filter((line) => line.includes('"joined the group"'))
    .map((line) => JSON.parse(line) as { assignment: Record<string, number[]> });
  return joins.at(-1)?.assignment[topic] ?? [];
}

describe('share router: exactly once from the master topic to the share topics', () => {
  it('two instances share the partitions; one SIGKILLed mid-stream: nothing lost or twice, per-citizen order, poison dead-lettered', async () => {
    const stack = testStack();
    const masterTopic = await createTestTopic('population.citizen-changed', 3);
    const base = {
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      MASTER_TOPIC: masterTopic,
      SHARE_TOPIC_PREFIX: `${uniqueName('r')}.`,
      SHARE_ROUTER_GROUP: uniqueName('bus.share-router'),
      // Nobody follows anyone here: land, delivered only followed citizens, gets nothing.
      FOLLOWS_TOPIC: await createTestTopic('sync.follows', 3),
      // The survivor takes a dead instance's partitions once its session expires.
      SHARE_ROUTER_SESSION_TIMEOUT_MS: '10000',
    };
    const instance = async (name: string) => ({
      ...base,
      SHARE_ROUTER_INSTANCE: name,
      PORT: String(await freePort()),
      MANAGEMENT_PORT: String(await freePort()),
    });
    const config = loadShareRouterConfig(base);
    const events = birthsAndMoves(1500, 'router');
    const serializer = await startCitizenChangedSerializer(stack.schemaRegistryUrl, masterTopic);
    const producer = await connectedProducer(undefined, { idempotent: true });
    const messages = [
      ...events.map((e) => ({ key: e.personalId, value: serializer.serialize(e) })),
      // Confluent framing with a schema id the registry never issued.
      { key: '079225999999', value: Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1, 2]) },
      { key: '079225999998', value: Buffer.from('plain text') },
    ];
    const send = (part: typeof messages) =>
      producer.send({ topic: masterTopic, acks: -1, messages: part });
    // A first part before the router starts; the rest while it runs, just before the kill
    // (all at once, an idle router could route everything in one transaction first).
    await send(messages.slice(0, 300));

    const first = spawnApp('share-router', await instance('a'));
    await waitFor(
      async () =>
        (await connectedAdmin()).listTopics().then((t) => t.includes(config.shareTopics.bhyt)),
      {
        description: 'share topics created',
        // A child process booting and joining: minutes on a loaded two-core machine.
        timeoutMs: 120_000,
      },
    );
    const bhyt = await follow(config.shareTopics.bhyt);
    await waitFor(() => bhyt.length >= 300, {
      description: 'a first part routed',
      timeoutMs: 60_000,
    });
    // A second instance joins: the group splits the three partitions between the two.
    const second = spawnApp('share-router', await instance('b'));
    await waitFor(
      () => {
        const a = assignedTo(first.output(), masterTopic);
        const b = assignedTo(second.output(), masterTopic);
        return a.length > 0 && b.length > 0 && a.length + b.length === 3;
      },
      { description: 'both instances own master partitions', timeoutMs: 120_000 },
    );
    await send(messages.slice(300));
    await killHard(first);
    expect(bhyt.length).toBeLessThan(events.length);

    // The survivor takes the dead one's partitions over (after its 10 s session times out), and
    // with them their producers' ids, fencing whatever the dead one left open.
    await waitFor(() => assignedTo(second.output(), masterTopic).length === 3, {
      description: 'the survivor owns every partition',
      timeoutMs: 120_000,
    });
    // Done when the router's committed position reaches the end of every master partition.
    const admin = await connectedAdmin();
    const ends = await admin.fetchTopicOffsets(masterTopic);
    await waitFor(
      async () => {
        const [committed] = await admin.fetchOffsets({
          groupId: config.groupId,
          topics: [masterTopic],
        });
        return ends.every(
          (end) =>
            committed?.partitions.find((p) => p.partition === end.partition)?.offset === end.high,
        );
      },
      { description: 'the router caught up', timeoutMs: 90_000 },
    );
    const land = await follow(config.shareTopics.land);
    await waitFor(() => bhyt.length >= events.length, {
      description: 'every record visible downstream',
    });
    await stopGracefully(second);

    // Exactly once: every master event once per sector that may receive it.
    expect(bhyt).toHaveLength(events.length);
    // Land's records would have been in the same transactions as bhyt's.
    expect(land).toHaveLength(0);
    const decode = shareDeserializer(stack.schemaRegistryUrl, 'bhyt');
    const decoded = await Promise.all(
      bhyt.map(async ({ partition, message }) => ({
        partition,
        event: await decode.deserialize(message.value),
      })),
    );
    expect(new Set(decoded.map((d) => d.event.eventId)).size).toBe(events.length);
    // Per-citizen order: versions rise within each key, and a key stays on one partition.
    const byKey = new Map<string, { partition: number; version: number }[]>();
    for (const d of decoded)
      byKey.set(d.event.personalId, [
        ...(byKey.get(d.event.personalId) ?? []),
        { partition: d.partition, version: d.event.version },
      ]);
    for (const seen of byKey.values()) {
      expect(seen.map((x) => x.version)).toEqual([1, 2]);
      expect(new Set(seen.map((x) => x.partition)).size).toBe(1);
    }

    const dead = await follow(config.deadLetterTopic);
    await waitFor(() => dead.length >= 2, { description: 'both poison records dead-lettered' });
    const reasons = dead.map((d) => String(d.message.headers?.[DLT_HEADERS.reason])).sort();
    expect(reasons).toEqual(['SCHEMA_ID_UNKNOWN', 'WIRE_FORMAT_INVALID']);
    expect(dead.map((d) => String(d.message.value))).toContain('plain text');
  }, 300_000);
});
