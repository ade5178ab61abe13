import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  blockDatabase,
  connectedAdmin,
  connectedProducer,
  onCleanup,
  uniqueName,
  waitFor,
} from '@bus/testing';
import { DLT_HEADERS, parseDeliveryReceipt, parseFollowChange } from '@bus/contracts';
import { HttpErrorFilter } from '@bus/platform';
import { parseSectorSyncOptions, SectorSyncEngine, SectorSyncModule } from '@bus/sector-sync';
import { tallyEvent, tallyOptions, tallyOutage } from './tally-sector';
import {
  collect,
  header,
  logRows,
  produce,
  receiptRows,
  startTally,
  tallyPool,
  tallySetup,
  waitForLogCount,
} from './tally-harness';

async function startApp(setup: Awaited<ReturnType<typeof tallySetup>>): Promise<string> {
  return (await startAppWithHandle(setup)).url;
}

async function startAppWithHandle(
  setup: Awaited<ReturnType<typeof tallySetup>>,
): Promise<{ url: string; app: INestApplication }> {
  @Module({ imports: [SectorSyncModule.forRoot(tallyOptions(setup))] })
  class TallyAppModule {}
  const app: INestApplication = await NestFactory.create(TallyAppModule, { logger: false });
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  onCleanup(() => app.close());
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  // The API answers 503 SYNC_STARTING until the engine's migrations ran.
  await waitFor(async () => (await fetch(`${url}/follows/079201012345`)).status !== 503, {
    description: 'the sync API past its migrations',
  });
  return { url, app };
}

describe('sector-sync framework on the real stack', () => {
  it('applies each event once, skips duplicates and stale versions, dead-letters poison and flows on', async () => {
    const setup = await tallySetup(2);
    const url = await startApp(setup);
    await produce(setup.topic, [
      tallyEvent('A', 1),
      tallyEvent('A', 2),
      tallyEvent('A', 2), // duplicate delivery
      tallyEvent('A', 1), // stale replay
      tallyEvent('B', 1),
      { key: 'B', raw: '{not json' }, // undecodable
      { ...tallyEvent('B', 2), rule: 'reject' as const }, // breaks a rule for good
      tallyEvent('B', 3),
      tallyEvent('A', 3),
    ]);
    const pool = tallyPool(setup.databaseUrl);
    await waitForLogCount(pool, 5);
    const dead = await collect(`${setup.groupId}.dlt`);
    await waitFor(() => dead.length === 2, { description: 'two dead letters' });

    expect(await logRows(pool)).toEqual(['A-v1', 'A-v2', 'A-v3', 'B-v1', 'B-v3']);
    const { rows: people } = await pool.query(
      'SELECT key, name, version FROM tally_people ORDER BY key',
    );
    expect(people).toEqual([
      { key: 'A', name: 'name-3', version: '3' },
      { key: 'B', name: 'name-3', version: '3' },
    ]);
    const reasons = dead.map((m) => header(m, DLT_HEADERS.reason)).sort();
    expect(reasons).toEqual(['TALLY_NOT_JSON', 'TALLY_RULE_BROKEN']);
    const notJson = dead.find((m) => header(m, DLT_HEADERS.reason) === 'TALLY_NOT_JSON');
    expect(String(notJson?.value)).toBe('{not json'); // the original bytes, unchanged
    expect(String(notJson?.key)).toBe('B');
    expect(header(notJson!, DLT_HEADERS.originalTopic)).toBe(setup.topic);
    expect(header(notJson!, DLT_HEADERS.consumerGroup)).toBe(setup.groupId);
    expect(header(notJson!, DLT_HEADERS.originalOffset)).toMatch(/^\d+$/);
    expect(header(notJson!, DLT_HEADERS.originalPartition)).toMatch(/^\d+$/);
    expect(Number.isNaN(Date.parse(header(notJson!, DLT_HEADERS.failedAt) ?? ''))).toBe(false);
    expect(header(notJson!, DLT_HEADERS.message)).toContain('not JSON');
    expect(header(notJson!, 'test.origin')).toBe('tally'); // original headers kept

    // Replaying the whole history again changes nothing.
    await produce(setup.topic, [tallyEvent('A', 1), tallyEvent('A', 2), tallyEvent('B', 1)]);
    const metricsText = await waitFor(
      async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return /sector_sync_events_skipped_total\{[^}]*\} 5/.test(text) ? text : false;
      },
      { description: 'the replay counted as skipped' },
    );
    expect(await logRows(pool)).toHaveLength(5);
    expect(metricsText).toMatch(/sector_sync_events_applied_total\{[^}]*\} 5/);
    expect(metricsText).toMatch(
      /sector_sync_events_dead_lettered_total\{[^}]*reason="TALLY_RULE_BROKEN"[^}]*\} 1/,
    );
    expect(metricsText).toMatch(/sector_sync_batch_duration_seconds_count/);
    expect(metricsText).toMatch(/sector_sync_last_applied_occurred_at_seconds\{/);

    // A receipt for each applied event and none for the skipped or dead-lettered ones, in the
    // database and, through the relay, on the receipts topic.
    expect(await receiptRows(pool)).toEqual({
      ids: ['A-v1', 'A-v2', 'A-v3', 'B-v1', 'B-v3'],
      rows: 5,
    });
    const published = await collect(setup.receiptsTopic);
    await waitFor(() => published.length >= 5, { description: 'five receipts published' });
    const receipts = published.map((m) => parseDeliveryReceipt(String(m.value)));
    expect(receipts.map((r) => r.eventId).sort()).toEqual(['A-v1', 'A-v2', 'A-v3', 'B-v1', 'B-v3']);
    const a2 = receipts.find((r) => r.eventId === 'A-v2');
    expect(a2).toMatchObject({
      recipient: 'tally',
      personalId: 'A',
      eventType: 'UNSPECIFIED',
      fields: ['key', 'version', 'eventId', 'name', 'occurredAt'],
      policyVersion: 7,
    });
    expect(String(published.find((m) => String(m.value).includes('A-v2'))?.key)).toBe('A');

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, state: 'running', database: 'up' });

    // The database and Kafka agree on where each partition stands.
    const { rows: offsets } = await pool.query<{ partition: number; next_offset: string }>(
      'SELECT partition, next_offset FROM sync_offsets ORDER BY partition',
    );
    const total = offsets.reduce((sum, o) => sum + Number(o.next_offset), 0);
    expect(total).toBe(12);
    // ...and the same offsets are committed to Kafka for lag monitoring.
    const admin = await connectedAdmin();
    const [committed] = await admin.fetchOffsets({ groupId: setup.groupId, topics: [setup.topic] });
    for (const { partition, next_offset } of offsets) {
      expect(committed?.partitions.find((p) => p.partition === partition)?.offset).toBe(
        next_offset,
      );
    }

    const progress = await collect(setup.progressTopic);
    const latest = await waitFor(
      () => {
        const last = new Map(progress.map((m) => [String(m.key), JSON.parse(String(m.value))]));
        const values = [...last.values()];
        const sum = values.reduce((s, v) => s + v.applied + v.skipped + v.deadLettered, 0);
        return sum === 12 ? values : false;
      },
      { description: 'progress reports covering all 12 records' },
    );
    for (const report of latest) {
      expect(Object.keys(report).sort()).toEqual(
        [
          'appliedAt',
          'applied',
          'deadLettered',
          'group',
          'lastOccurredAt',
          'lastRecordedAt',
          'offset',
          'partition',
          'skipped',
          'topic',
        ].sort(),
      );
      expect(report.group).toBe(setup.groupId);
    }
  });

  it('rides out a database outage: pauses, retries with backoff, catches up without loss or crash', async () => {
    const setup = await tallySetup(2);
    const engine = await startTally(setup);
    const pool = tallyPool(setup.databaseUrl);
    await produce(setup.topic, [tallyEvent('A', 1), tallyEvent('B', 1)]);
    await waitForLogCount(pool, 2);

    const restore = await blockDatabase(setup.databaseUrl);
    await produce(setup.topic, [tallyEvent('A', 2), tallyEvent('B', 2), tallyEvent('C', 1)]);
    await waitFor(
      async () => {
        const text = await engine.metrics.registry.getSingleMetricAsString(
          'sector_sync_transient_failures_total',
        );
        const match = /\} (\d+)/.exec(text);
        return match && Number(match[1]) >= 2 ? true : false;
      },
      { description: 'at least two failed attempts while the database is down' },
    );
    const down = await engine.health();
    expect(down.ok).toBe(false);
    expect(down.database).toBe('down');
    expect(down.state).toBe('running');

    await restore();
    await waitForLogCount(pool, 5);
    expect(await logRows(pool)).toEqual(['A-v1', 'A-v2', 'B-v1', 'B-v2', 'C-v1']);
    await waitFor(async () => (await engine.health()).ok, { description: 'healthy again' });
  });

  it('moves past aborted transactions and commit markers: nothing applied, no lag left', async () => {
    const setup = await tallySetup(1);
    const engine = await startTally(setup);
    const pool = tallyPool(setup.databaseUrl);
    // Written as the share router writes: in transactions, so the log holds markers too.
    const producer = await connectedProducer(undefined, {
      transactionalId: uniqueName('tally-writer'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    const write = async (events: ReturnType<typeof tallyEvent>[], outcome: 'commit' | 'abort') => {
      const tx = await producer.transaction();
      await tx.send({
        topic: setup.topic,
        messages: events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
      });
      await (outcome === 'commit' ? tx.commit() : tx.abort());
    };
    await write([tallyEvent('A', 1)], 'commit');
    await waitForLogCount(pool, 1);
    // As after a broker restart under load: the router's last transaction aborted.
    await write([tallyEvent('B', 1), tallyEvent('C', 1)], 'abort');

    const admin = await connectedAdmin();
    // A (0), its commit marker (1), B and C (2, 3), the abort marker (4), written after abort().
    await waitFor(async () => (await admin.fetchTopicOffsets(setup.topic))[0]?.high === '5', {
      description: 'the abort marker in the log',
    });
    await waitFor(
      async () => {
        const [committed] =
          (await admin.fetchOffsets({ groupId: setup.groupId, topics: [setup.topic] }))[0]
            ?.partitions ?? [];
        const { rows } = await pool.query<{ next_offset: string }>(
          'SELECT next_offset FROM sync_offsets',
        );
        return committed?.offset === '5' && rows[0]?.next_offset === '5';
      },
      { description: 'the group and the database at the end of the log' },
    );
    expect(await logRows(pool)).toEqual(['A-v1']);
    expect((await engine.health()).ok).toBe(true);
  });

  it('turns unhealthy while batches keep failing with the database up, and recovers by itself', async () => {
    const setup = await tallySetup(1);
    const engine = await startTally(setup);
    const pool = tallyPool(setup.databaseUrl);
    tallyOutage.on = true;
    onCleanup(() => {
      tallyOutage.on = false;
    });
    await produce(setup.topic, [tallyEvent('A', 1)]);
    const stuck = await waitFor(
      async () => {
        const health = await engine.health();
        return health.ok ? false : health;
      },
      { description: 'health to turn unhealthy' },
    );
    expect(stuck).toMatchObject({ database: 'up', state: 'running' });
    expect(stuck.failedAttempts).toBeGreaterThanOrEqual(5);

    tallyOutage.on = false;
    await waitForLogCount(pool, 1);
    await waitFor(async () => (await engine.health()).ok, { description: 'healthy again' });
    expect((await engine.health()).failedAttempts).toBe(0);
  });

  it('rebuilds from the start of the share topic into the same rows as live sync', async () => {
    const setup = await tallySetup(3);
    const events = ['A', 'B', 'C', 'D', 'E'].flatMap((key) =>
      [1, 2, 3].map((v) => tallyEvent(key, v, `${key}-${v}`)),
    );
    await produce(setup.topic, [...events, tallyEvent('A', 2)]);
    const live = await startTally(setup);
    const pool = tallyPool(setup.databaseUrl);
    await waitForLogCount(pool, 15);
    const before = (await pool.query('SELECT * FROM tally_people ORDER BY key')).rows;
    // Refused while the group still has a running member: it would write over the replay.
    await expect(startTally(setup, { rebuild: true })).rejects.toMatchObject({
      code: 'SYNC_GROUP_ACTIVE',
    });
    expect(await logRows(pool)).toHaveLength(15);
    await live.stop();

    const rebuilt = await startTally(setup, { rebuild: true });
    await waitForLogCount(pool, 15);
    await waitFor(
      async () => (await pool.query('SELECT count(*)::int AS n FROM tally_people')).rows[0].n === 5,
      { description: 'five people rebuilt' },
    );
    expect((await pool.query('SELECT * FROM tally_people ORDER BY key')).rows).toEqual(before);
    expect(await logRows(pool)).toHaveLength(15);
    await rebuilt.stop();
  });

  it('keeps a durable follow-list, changed over HTTP and inside a batch, and publishes each change', async () => {
    const setup = await tallySetup(2);
    const first = await startAppWithHandle(setup);
    const PERSON = '079201012345';
    const SPOUSE = '001300003333';
    const call = async (method: string, url: string, id: string) => {
      const response = await fetch(`${url}/follows/${id}`, { method });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    // Inside the sector's transaction: the event's rule follows its citizen.
    await produce(setup.topic, [{ ...tallyEvent(PERSON, 1), follow: true }]);
    const pool = tallyPool(setup.databaseUrl);
    await waitForLogCount(pool, 1);
    expect((await call('GET', first.url, PERSON)).body).toEqual({
      personalId: PERSON,
      following: true,
    });
    // Over HTTP: a new follow, a repeated one, an unfollow, a bad ID.
    expect((await call('PUT', first.url, SPOUSE)).body).toEqual({
      personalId: SPOUSE,
      following: true,
      changed: true,
    });
    expect((await call('PUT', first.url, SPOUSE)).body.changed).toBe(false);
    expect((await call('DELETE', first.url, PERSON)).body).toEqual({
      personalId: PERSON,
      following: false,
      changed: true,
    });
    const bad = await call('PUT', first.url, '12345');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'PERSONAL_ID_INVALID' } });

    // Durable: a restarted service holds the same list.
    await first.app.close();
    const second = await startApp(setup);
    expect((await call('GET', second, PERSON)).body.following).toBe(false);
    expect((await call('GET', second, SPOUSE)).body.following).toBe(true);

    // Every real change on the follows topic, keyed by recipient and citizen, in order.
    const published = await collect(setup.followsTopic);
    await waitFor(() => published.length >= 3, { description: 'three follow changes' });
    const changes = published.map((m) => [String(m.key), parseFollowChange(String(m.value))]);
    expect(changes.map(([key, c]) => [key, (c as { following: boolean }).following])).toEqual(
      expect.arrayContaining([
        [`tally/${SPOUSE}`, true],
        [`tally/${PERSON}`, true],
        [`tally/${PERSON}`, false],
      ]),
    );
    expect(changes).toHaveLength(3);
    const person = changes.filter(([key]) => key === `tally/${PERSON}`);
    expect(person.map(([, c]) => (c as { following: boolean }).following)).toEqual([true, false]);
  });

  it('prunes published receipts past their retention, in the background, keeping the applied rows', async () => {
    const setup = await tallySetup(1);
    const options = tallyOptions(setup);
    const engine = new SectorSyncEngine(
      parseSectorSyncOptions({
        ...options,
        receipts: { ...options.receipts, retainPublishedHours: 1 / 3_600, pruneBatchSize: 2 },
      }),
    );
    onCleanup(() => engine.stop());
    await engine.start();
    const pool = tallyPool(setup.databaseUrl);
    const keys = ['P1', 'P2', 'P3', 'P4', 'P5'];
    await produce(
      setup.topic,
      keys.map((k) => tallyEvent(k, 1)),
    );
    await waitForLogCount(pool, 5);
    const published = await collect(setup.receiptsTopic);
    await waitFor(() => published.length >= 5, { description: 'five receipts published' });
    // A second later they are past retention: deleted two at a time while the relay idles.
    await waitFor(async () => (await receiptRows(pool)).rows === 0, {
      description: 'receipts pruned',
      timeoutMs: 20_000,
    });
    expect(await logRows(pool)).toEqual(keys.map((k) => `${k}-v1`));
  });
});
