import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { DLT_HEADERS } from '@bus/contracts';
import {
  blockDatabase,
  connectedConsumer,
  connectedProducer,
  testStack,
  uniqueName,
  waitFor,
} from '@bus/testing';
import { freePort, killHard, spawnApp, stopGracefully } from './child-app';
import { birthsAndMoves } from './population';
import {
  readCitizen,
  sectorStack,
  startSector,
  waitForVersion,
  type SectorStack,
} from './sector-stack';

async function historyCounts(s: SectorStack): Promise<{ n: number; distinct: number }> {
  const { rows } = await s.pools.bhyt.query<{ n: number; distinct: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM insured_person_history',
  );
  return rows[0] ?? { n: 0, distinct: 0 };
}

function bhytEnv(s: SectorStack, port: number): Record<string, string> {
  const stack = testStack();
  return {
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    BHYT_DATABASE_URL: s.sectors.bhyt.databaseUrl,
    SHARE_TOPIC: s.sectors.bhyt.topic,
    SYNC_GROUP: s.sectors.bhyt.groupId,
    PORT: String(port),
  };
}

describe('sector sync acceptance: crashes, outages and poison on the real services', () => {
  it('sync-bhyt killed with SIGKILL mid-batch and restarted loses no event and applies none twice', async () => {
    const s = await sectorStack(3);
    const events = birthsAndMoves(1500);
    await s.publish(events);
    const port = await freePort();
    const first = spawnApp('sync-bhyt', bhytEnv(s, port));
    await waitFor(async () => (await historyCounts(s)).n >= 200, {
      description: 'a first part applied',
      // A child process compiling, migrating and joining: minutes on a loaded two-core machine.
      timeoutMs: 120_000,
    });
    await killHard(first);
    const atKill = await historyCounts(s);
    expect(atKill.n).toBeLessThan(events.length);

    const second = spawnApp('sync-bhyt', bhytEnv(s, port));
    await waitFor(async () => (await historyCounts(s)).n >= events.length, {
      description: 'every event applied after the restart',
      timeoutMs: 90_000,
    });
    await stopGracefully(second);
    // Graceful: the batch in hand finished, the group was left, then the process ended.
    expect(second.output()).toContain('sector sync stopped');
    expect(await historyCounts(s)).toEqual({ n: events.length, distinct: events.length });
    const { rows } = await s.pools.bhyt.query<{ n: number; moved: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE registered_province = '01')::int AS moved
       FROM insured_persons`,
    );
    expect(rows[0]).toEqual({ n: 1500, moved: 1500 });
  }, 300_000);

  it('dead-letters a poison record with its reason, applies later events, and rides out a database outage', async () => {
    const s = await sectorStack(3);
    await startSector(s, 'bhyt');
    const url = s.managementUrls.bhyt!;
    const [born, moved] = birthsAndMoves(1, 'poison');
    const personalId = born!.personalId;

    // Garbage on the share topic, keyed like the citizen so it sits on the same partition.
    const producer = await connectedProducer();
    await producer.send({
      topic: s.sectors.bhyt.topic,
      acks: -1,
      messages: [{ key: personalId, value: Buffer.from('not avro at all') }],
    });
    await s.publish([born!]);
    await waitForVersion(s, 'bhyt', personalId, 1);
    const dead: KafkaMessage[] = [];
    const consumer = await connectedConsumer(uniqueName('dlt'));
    await consumer.subscribe({ topic: `${s.sectors.bhyt.groupId}.dlt`, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void dead.push(message) });
    await waitFor(() => dead.length === 1, { description: 'the poison record on the DLT' });
    expect(String(dead[0]?.headers?.[DLT_HEADERS.reason])).toBe('WIRE_FORMAT_INVALID');
    expect(String(dead[0]?.headers?.[DLT_HEADERS.originalTopic])).toBe(s.sectors.bhyt.topic);
    expect(String(dead[0]?.value)).toBe('not avro at all');

    // The sector database goes away while a change arrives, then comes back.
    const restore = await blockDatabase(s.sectors.bhyt.databaseUrl);
    await s.publish([moved!]);
    await waitFor(
      async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const match = /sector_sync_transient_failures_total\{[^}]*\} (\d+)/.exec(text);
        return Number(match?.[1] ?? 0) >= 2;
      },
      { description: 'retries while the database is down', timeoutMs: 30_000 },
    );
    expect((await fetch(`${url}/health`)).status).toBe(503);
    await restore();
    await waitForVersion(s, 'bhyt', personalId, 2);
    await waitFor(async () => (await fetch(`${url}/health`)).status === 200, {
      description: 'healthy again',
    });
    const citizen = await (await readCitizen(s, 'bhyt', personalId)).json();
    expect(citizen).toMatchObject({ registeredProvince: '01', cardStatus: 'ACTIVE' });
    const { rows } = await s.pools.bhyt.query(
      'SELECT event_id FROM insured_person_history ORDER BY id',
    );
    expect(rows.map((r) => r.event_id)).toEqual([born!.eventId, moved!.eventId]);
  });
});
