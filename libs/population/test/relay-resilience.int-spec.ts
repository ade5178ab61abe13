import { describe, expect, it } from 'vitest';
import type { PopulationServices } from '@bus/population';
import { outboxBacklog } from '@bus/population';
import { createTestTopic, waitFor } from '@bus/testing';
import {
  birth,
  collectEvents,
  inPerKeyOrder,
  populationTestDb,
  startTestRelay,
  versionsByKey,
  type PopulationTestDb,
  type ReceivedEvent,
} from './support/population-test-env';
import { spawnRelay } from './support/relay-process';
import { startThrowawayBroker } from './support/throwaway-broker';

const NAMES = ['Nguyễn Thị Lan', 'Trần Văn Hùng', 'Lê Thị Hương', 'Phạm Văn Dũng', 'Hoàng Thị Yến'];

async function seed(services: PopulationServices, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const female = i % 2 === 1;
    const result = await services.registerBirth.execute(
      birth({
        fullName: NAMES[i % NAMES.length]!,
        gender: female ? 'FEMALE' : 'MALE',
        dateOfBirth: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
      }),
    );
    ids.push(result.personalId);
  }
  return ids;
}

/** Temporary-residence changes spread over the citizens: each one a real change, version +1. */
async function churn(
  services: PopulationServices,
  ids: readonly string[],
  changes: number,
  offset = 0,
) {
  for (let i = 0; i < changes; i++) {
    await services.registerResidence.temporary({
      personalId: ids[i % ids.length]!,
      communeCode: '00082',
      address: `${offset + i} Lý Thường Kiệt`,
      since: '2024-01-01',
    });
  }
}

const published = async (db: PopulationTestDb) =>
  Number(
    (await db.pool.query('SELECT count(*) AS n FROM outbox WHERE published_at IS NOT NULL')).rows[0]
      .n,
  );

/** Waits until every outbox row is on the topic, then checks order per citizen. */
async function expectAllDeliveredInOrder(db: PopulationTestDb, events: ReceivedEvent[]) {
  const { rows } = await db.pool.query<{
    event_id: string;
    aggregate_id: string;
    aggregate_version: string;
  }>('SELECT event_id, aggregate_id, aggregate_version FROM outbox');
  const expected = new Set(rows.map((r) => r.event_id));
  await waitFor(
    async () =>
      new Set(events.map((e) => e.value.eventId)).size === expected.size &&
      (await outboxBacklog(db.pool)).pending === 0,
    {
      description: `all ${expected.size} outbox rows on the topic`,
      timeoutMs: 90_000,
      intervalMs: 200,
    },
  );
  expect(new Set(events.map((e) => e.value.eventId))).toEqual(expected);
  for (const [key, versions] of versionsByKey(events)) {
    expect({ key, inOrder: inPerKeyOrder(versions) }).toEqual({ key, inOrder: true });
  }
  // The only duplicates are redeliveries of the same event (same key, same version).
  const byEventId = new Map<string, string>();
  for (const e of events) {
    const identity = `${e.key}:${e.value.version}`;
    expect(byEventId.get(e.value.eventId) ?? identity).toBe(identity);
    byEventId.set(e.value.eventId, identity);
  }
  return { rows: expected.size, duplicates: events.length - expected.size };
}

describe('outbox relay resilience (real child processes, real brokers)', () => {
  it(
    'loses nothing and keeps per-citizen order when the relay is SIGKILLed mid-stream',
    { timeout: 240_000 },
    async () => {
      const db = await populationTestDb();
      const topic = await createTestTopic('relay_kill', 3);
      const ids = await seed(db.services, 20);
      const first = spawnRelay(db.databaseUrl, topic);
      const writing = churn(db.services, ids, 600);
      await waitFor(async () => (await published(db)) >= 100, {
        description: '100 rows published',
        timeoutMs: 60_000,
      });
      await first.kill('SIGKILL');
      await writing;
      await churn(db.services, ids, 100, 1_000);
      expect((await outboxBacklog(db.pool)).pending).toBeGreaterThan(0);
      spawnRelay(db.databaseUrl, topic);
      const events = await collectEvents(topic);
      const { rows, duplicates } = await expectAllDeliveredInOrder(db, events);
      console.log(`relay SIGKILL: ${rows} rows delivered, ${duplicates} redelivered duplicates`);
    },
  );

  it(
    'keeps per-citizen order with two relays running at once, and fails over when the leader dies',
    { timeout: 240_000 },
    async () => {
      const db = await populationTestDb();
      const topic = await createTestTopic('relay_two', 3);
      const ids = await seed(db.services, 20);
      const relays = [spawnRelay(db.databaseUrl, topic), spawnRelay(db.databaseUrl, topic)];
      const writing = churn(db.services, ids, 600);
      await waitFor(async () => (await published(db)) >= 100, {
        description: '100 rows published',
        timeoutMs: 60_000,
      });
      const leader = relays.find((r) => r.output().includes('outbox relay is the leader'));
      const standby = relays.find((r) => r !== leader)!;
      expect(leader).toBeDefined();
      expect(standby.output()).not.toContain('outbox relay is the leader');
      await leader!.kill('SIGKILL');
      await writing;
      const events = await collectEvents(topic);
      await expectAllDeliveredInOrder(db, events);
      expect(standby.output()).toContain('outbox relay is the leader');
    },
  );

  it(
    'keeps accepting commands while the broker is down and delivers everything once it is back',
    { timeout: 300_000 },
    async () => {
      const kafka = await startThrowawayBroker();
      const db = await populationTestDb();
      const topic = 'population.citizen-changed.broker-test';
      const ids = await seed(db.services, 10);
      startTestRelay(db.databaseUrl, topic, [kafka.broker]);
      await churn(db.services, ids, 50);
      await waitFor(async () => (await outboxBacklog(db.pool)).pending === 0, {
        description: 'first rows published',
        timeoutMs: 60_000,
      });
      await kafka.stop();
      await churn(db.services, ids, 150, 500);
      const backlog = await outboxBacklog(db.pool);
      expect(backlog.pending).toBe(150);
      await kafka.start();
      const events = await collectEvents(topic, [kafka.broker]);
      await expectAllDeliveredInOrder(db, events);
    },
  );
});
