import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { NestExpressApplication } from '@nestjs/platform-express';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { loadLagMonitorConfig, type GroupView } from '@bus/lag-monitor';
import { createPool } from '@bus/platform';
import {
  connectedAdmin,
  connectedConsumer,
  connectedProducer,
  createTestDatabase,
  createTestTopic,
  onCleanup,
  testKafka,
  testStack,
  uniqueName,
  waitFor,
} from '@bus/testing';
import { createOpsConsoleApp } from './ops-console.app';

// Request logs of every poll of the page would drown the test output.
process.env.LOG_LEVEL ??= 'warn';

/** A console on a port of its own, watching only the groups the test names. */
async function startConsole(
  groups: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<{
  url: string;
  app: NestExpressApplication;
  databaseUrl: string;
  progressTopic: string;
}> {
  const stack = testStack();
  const databaseUrl = await createTestDatabase('ops');
  const config = loadLagMonitorConfig({
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    OPS_CONSOLE_DATABASE_URL: databaseUrl,
    LAG_POLL_INTERVAL_MS: '250',
    LAG_WINDOW_SIZE: '5',
    LAG_GROUP_PREFIXES: uniqueName('nothing'),
    OPS_SECTORS: Object.entries(groups)
      .map(([sector, group]) => `${sector}=${group}`)
      .join(','),
    SYNC_PROGRESS_TOPIC: uniqueName('progress'),
    ...extra,
  });
  const app = await createOpsConsoleApp(config, undefined, { defaultMetrics: false });
  await app.listen(0, '127.0.0.1');
  onCleanup(() => app.close());
  const address = app.getHttpServer().address() as { port: number };
  onCleanup(async () => {
    const admin = testKafka().admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [config.progressTopic] }).catch(() => undefined);
    await admin.disconnect();
  });
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    databaseUrl,
    progressTopic: config.progressTopic,
  };
}

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}

const groupOf = async (url: string, group: string) =>
  (await json<GroupView>(`${url}/api/groups/${encodeURIComponent(group)}`)).body;

/** Produces one small message every 50 ms until stopped. */
async function steadyProducer(
  topic: string,
): Promise<{ stop: () => Promise<void>; sent: () => number }> {
  const producer = await connectedProducer();
  let sent = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      await producer.send({ topic, messages: [{ key: `k${sent % 7}`, value: `v${sent}` }] });
      sent++;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const stop = async () => {
    running = false;
    await loop;
  };
  onCleanup(stop);
  return { stop, sent: () => sent };
}

async function startConsumer(group: string, topic: string): Promise<{ stop: () => Promise<void> }> {
  const consumer = await connectedConsumer(group);
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ autoCommitInterval: 100, eachMessage: async () => undefined });
  return { stop: () => consumer.disconnect() };
}

describe('ops console: consumer lag', () => {
  it('sees a stopped consumer go STOP with growing lag, then OK after a restart', async () => {
    const topic = await createTestTopic('lag-stop', 2);
    const group = uniqueName('sync-stop');
    const { url } = await startConsole({ bhyt: group });
    const producer = await steadyProducer(topic);
    const first = await startConsumer(group, topic);

    await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return (
          g.status === 'OK' && g.members > 0 && g.partitions.length === 2 && g.history.length >= 5
        );
      },
      { description: 'the running group to read OK', timeoutMs: 30_000, intervalMs: 250 },
    );

    await first.stop();
    const stopped = await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.status === 'STOP' || g.status === 'ERR' ? g : undefined;
      },
      { description: 'the stopped group to read STOP or ERR', timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(stopped.members).toBe(0);
    expect(stopped.lag).toBeGreaterThan(0);
    expect(stopped.sector).toBe('bhyt');
    await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.lag > stopped.lag && g.lagSeconds > 0 ? g : undefined;
      },
      { description: 'the lag of the stopped group to grow', timeoutMs: 20_000, intervalMs: 250 },
    );
    const rising = await groupOf(url, group);
    expect(rising.trend.direction).toBe('rising');
    expect(rising.trend.secondsToClear).toBeNull();

    await startConsumer(group, topic);
    await producer.stop();
    const recovered = await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.status === 'OK' && g.lag === 0 ? g : undefined;
      },
      {
        description: 'the restarted group to catch up and read OK',
        timeoutMs: 40_000,
        intervalMs: 250,
      },
    );
    expect(recovered.lagSeconds).toBe(0);
    expect(recovered.partitions.every((p) => p.committed === p.end)).toBe(true);
  });

  it('keeps lag in seconds at 0 on an idle topic that is fully consumed', async () => {
    const topic = await createTestTopic('lag-idle', 1);
    const group = uniqueName('sync-idle');
    const { url } = await startConsole({ land: group });
    const producer = await connectedProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    await startConsumer(group, topic);
    const caughtUp = await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.partitions[0]?.committed === 20 ? g : undefined;
      },
      { description: 'the group to consume all 20 messages', timeoutMs: 30_000, intervalMs: 100 },
    );
    const readings: number[] = [];
    const from = caughtUp.updatedAt;
    await waitFor(
      async () => {
        const g = await groupOf(url, group);
        readings.push(g.lagSeconds, ...g.partitions.map((p) => p.lagSeconds));
        return g.history.filter((h) => h.at > from).length >= 8 ? g : undefined;
      },
      { description: 'eight more polls of the idle topic', timeoutMs: 30_000, intervalMs: 200 },
    );
    const idle = await groupOf(url, group);
    expect(idle.lag).toBe(0);
    expect(idle.status).toBe('OK');
    expect(readings.length).toBeGreaterThan(5);
    expect(readings.every((s) => s === 0)).toBe(true);
    expect(idle.history.filter((h) => h.at >= from).every((h) => h.lagSeconds === 0)).toBe(true);
  });

  it('reads a group the broker does not know as ERR, and 404s a group it does not watch', async () => {
    const group = uniqueName('sync-never');
    const { url } = await startConsole({ tax: group });
    const missing = await waitFor(
      async () => {
        const g = await json<GroupView>(`${url}/api/groups/${group}`);
        return g.status === 200 ? g.body : undefined;
      },
      { description: 'the first poll', intervalMs: 100 },
    );
    expect(missing.status).toBe('ERR');
    expect(missing.reason).toMatch(/not known to the broker/);
    const unknown = await json<{ error: { code: string } }>(`${url}/api/groups/not-watched`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('GROUP_NOT_WATCHED');
  });
});

describe('ops console: business-time lag', () => {
  it('reads now minus occurredAt of the last applied event from ops.sync-progress', async () => {
    const topic = await createTestTopic('business', 1);
    const group = uniqueName('sync-business');
    const { url, progressTopic } = await startConsole({ land: group });
    const producer = await connectedProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].map((i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    const admin = await connectedAdmin();
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '1' }] });
    const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
    const appliedAt = new Date().toISOString();
    await producer.send({
      topic: progressTopic,
      acks: -1,
      messages: [
        {
          key: `${group}/${topic}/0`,
          value: JSON.stringify({
            group,
            topic,
            partition: 0,
            // As the sync services write it: kafkajs offsets are strings.
            offset: '1',
            lastOccurredAt: occurredAt,
            lastRecordedAt: occurredAt,
            appliedAt,
            applied: 1,
            skipped: 0,
            deadLettered: 0,
          }),
        },
        { key: 'garbage', value: '{"not":"progress"}' },
      ],
    });
    const behind = await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.businessLagSeconds !== null && g.lag === 2 ? g : undefined;
      },
      { description: 'business lag of the group', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(behind.businessLagSeconds).toBeGreaterThanOrEqual(3_600);
    expect(behind.businessLagSeconds).toBeLessThan(3_700);
    expect(behind.partitions[0]).toMatchObject({
      lastOccurredAt: occurredAt,
      lastAppliedAt: appliedAt,
    });
    const metrics = parsePrometheusTextFormat(await (await fetch(`${url}/metrics`)).text());
    const business = metrics.find((f) => f.name === 'bus_consumergroup_business_lag_seconds');
    expect(
      Number(business?.metrics.find((m) => m.labels?.group === group)?.value),
    ).toBeGreaterThanOrEqual(3_600);
  });
});

describe('ops console: /metrics and /health', () => {
  it('serves valid Prometheus exposition with lag, status and dead-letter counts', async () => {
    const topic = await createTestTopic('metrics', 1);
    const group = uniqueName('sync-metrics');
    const { url } = await startConsole({ tthc: group });
    const admin = await connectedAdmin();
    await admin.createTopics({ topics: [{ topic: `${group}.dlt` }], waitForLeaders: true });
    onCleanup(() => admin.deleteTopics({ topics: [`${group}.dlt`] }).catch(() => undefined));
    const producer = await connectedProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    });
    await producer.send({
      topic: `${group}.dlt`,
      acks: -1,
      messages: [{ key: 'x', value: 'poison' }],
    });
    const consumer = await connectedConsumer(group);
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        // Commit only the first message: one offset of lag stays.
        if (seen++ === 0) {
          await consumer.commitOffsets([
            { topic, partition, offset: String(Number(message.offset) + 1) },
          ]);
        }
      },
    });
    await waitFor(
      async () => {
        const g = await groupOf(url, group);
        return g.lag === 1 && g.deadLetters.total === 1;
      },
      { description: 'lag 1 and one dead letter', timeoutMs: 30_000, intervalMs: 200 },
    );

    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const families = parsePrometheusTextFormat(text);
    const family = (name: string) => families.find((f) => f.name === name);
    expect(family('bus_consumergroup_lag')?.type).toBe('GAUGE');
    expect(family('bus_consumergroup_lag')?.metrics).toContainEqual({
      labels: { group, topic, partition: '0' },
      value: '1',
    });
    expect(
      family('bus_consumergroup_lag_seconds')?.metrics.find((m) => m.labels?.group === group),
    ).toBeDefined();
    expect(family('bus_consumergroup_status')?.metrics).toContainEqual(
      expect.objectContaining({ labels: { group, sector: 'tthc' } }),
    );
    expect(family('bus_deadletter_messages')?.metrics).toContainEqual({
      labels: { group, sector: 'tthc' },
      value: '1',
    });

    const health = await json<{ ok: boolean; kafka: string; database: string }>(`${url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, database: 'ok' });
  });
});

describe('ops console: dead letters', () => {
  const letterHeaders = (topic: string, group: string, reason: string, offset: number) => ({
    'dlt.reason': reason,
    'dlt.message': `could not apply: ${reason}`,
    'dlt.original.topic': topic,
    'dlt.original.partition': '2',
    'dlt.original.offset': String(offset),
    'dlt.consumer.group': group,
    'dlt.failed.at': '2026-07-01T08:00:00.000Z',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });

  it('lists letters masked, replays one to its original topic with an audit row, and never twice', async () => {
    const original = await createTestTopic('dlq-original', 3);
    const group = uniqueName('sync-dlq');
    const dlt = `${group}.dlt`;
    const { url, databaseUrl } = await startConsole({ bhyt: group });
    const admin = await connectedAdmin();
    await admin.createTopics({ topics: [{ topic: dlt }], waitForLeaders: true });
    onCleanup(() => admin.deleteTopics({ topics: [dlt] }).catch(() => undefined));
    const citizen = {
      personalId: '001203012345',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '2003-05-17',
      provinceCode: '01',
      version: 4,
    };
    const poison = Buffer.from([0xde, 0xad, 0x01, 0x02, 0xbe, 0xef]);
    const unknownSchema = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 0x02, 0x41]);
    const registry = new SchemaRegistry({ host: testStack().schemaRegistryUrl });
    const { id: schemaId } = await registry.register(
      {
        type: SchemaType.AVRO,
        schema: JSON.stringify({
          type: 'record',
          name: 'CitizenChanged',
          namespace: 'vn.gov.population.events',
          fields: [
            { name: 'personalId', type: 'string' },
            { name: 'fullName', type: 'string' },
            { name: 'provinceCode', type: 'string' },
          ],
        }),
      },
      { subject: `${uniqueName('dlq')}-value` },
    );
    const avro = await registry.encode(schemaId, {
      personalId: '079305001122',
      fullName: 'Trần Thị Bình',
      provinceCode: '79',
    });
    const producer = await connectedProducer(undefined, { idempotent: true });
    await producer.send({
      topic: dlt,
      acks: -1,
      messages: [
        {
          key: '001203012345',
          value: JSON.stringify(citizen),
          headers: letterHeaders(original, group, 'RULE_VERSION_CONFLICT', 7),
        },
        {
          key: '079305001122',
          value: poison,
          headers: letterHeaders(original, group, 'POISON', 8),
        },
        {
          key: '036099001234',
          value: unknownSchema,
          headers: letterHeaders(original, group, 'SCHEMA_UNKNOWN', 9),
        },
        { key: '079305001122', value: avro, headers: letterHeaders(original, group, 'AVRO', 10) },
      ],
    });

    interface Letter {
      partition: number;
      offset: number;
      key: string;
      reason: string;
      message: string;
      originalTopic: string;
      originalOffset: number;
      payload: {
        format: string;
        data?: Record<string, unknown>;
        hex?: string;
        length?: number;
        error?: string;
      };
      headers: Record<string, string>;
      replays: unknown[];
    }
    const listed = await json<{ group: string; total: number; letters: Letter[] }>(
      `${url}/api/dead-letters/bhyt`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.group).toBe(group);
    expect(listed.body.total).toBe(4);
    const byReason = new Map(listed.body.letters.map((l) => [l.reason, l]));
    const first = byReason.get('RULE_VERSION_CONFLICT');
    expect(first).toMatchObject({
      key: '001*******45',
      originalTopic: original,
      originalOffset: 7,
      message: 'could not apply: RULE_VERSION_CONFLICT',
      headers: { traceparent: expect.any(String) },
      replays: [],
      payload: {
        format: 'json',
        data: {
          personalId: '001*******45',
          fullName: 'N***** V** A*',
          dateOfBirth: '2003-**-**',
          provinceCode: '01',
          version: 4,
        },
      },
    });
    expect(byReason.get('POISON')?.payload).toEqual({
      format: 'binary',
      length: 6,
      hex: 'dead0102beef',
    });
    expect(byReason.get('SCHEMA_UNKNOWN')?.payload).toMatchObject({
      format: 'binary',
      length: 7,
      error: expect.stringMatching(/^schema 2147483632: /),
    });
    expect(byReason.get('AVRO')?.payload).toEqual({
      format: 'avro',
      schemaId,
      data: { personalId: '079*******22', fullName: 'T*** T** B***', provinceCode: '79' },
    });
    expect(JSON.stringify(listed.body)).not.toMatch(/001203012345|079305001122|Bình/);

    const anonymous = await json<{ error: { code: string } }>(
      `${url}/api/dead-letters/bhyt?reveal=1`,
    );
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.error.code).toBe('OPERATOR_REQUIRED');
    const revealed = await json<{ letters: Letter[] }>(`${url}/api/dead-letters/bhyt?reveal=1`, {
      headers: { 'x-ops-user': 'ops.lan' },
    });
    expect(revealed.body.letters.map((l) => l.key)).toContain('001203012345');

    const received: {
      key: string;
      value: Buffer;
      headers: Record<string, string>;
      partition: number;
    }[] = [];
    const consumer = await connectedConsumer(uniqueName('applied'));
    await consumer.subscribe({ topic: original, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        received.push({
          key: String(message.key),
          value: message.value as Buffer,
          partition,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          ),
        });
      },
    });

    const post = (path: string, body: unknown, user?: string) =>
      json<Record<string, unknown>>(`${url}/api/dead-letters/bhyt/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(user ? { 'x-ops-user': user } : {}) },
        body: JSON.stringify(body),
      });
    const { partition: partitionOf, offset: offsetOf } = first as Letter;
    const letter = { partition: partitionOf, offset: offsetOf };
    expect((await post('replay', letter)).status).toBe(400);
    const missing = await post('replay', { partition: partitionOf, offset: 999 }, 'ops.lan');
    expect(missing.status).toBe(404);
    const replay = await post('replay', letter, 'ops.lan');
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({
      dltTopic: dlt,
      targetTopic: original,
      targetPartition: 2,
      replayedBy: 'ops.lan',
      keyMasked: '001*******45',
      reason: 'RULE_VERSION_CONFLICT',
    });
    const applied = await waitFor(() => received.find((r) => r.key === '001203012345'), {
      description: 'the replayed letter consumed from its original topic',
    });
    expect(JSON.parse(applied.value.toString('utf8'))).toEqual(citizen);
    expect(applied.partition).toBe(2);
    expect(applied.headers).toMatchObject({
      traceparent: expect.any(String),
      'replay.from': `${dlt}/${partitionOf}/${offsetOf}`,
      'replay.by': 'ops.lan',
    });
    expect(applied.headers['dlt.reason']).toBeUndefined();

    const again = await post('replay', letter, 'ops.binh');
    expect(again.status).toBe(409);
    expect((again.body.error as { code: string }).code).toBe('DEAD_LETTER_ALREADY_REPLAYED');

    const all = await post('replay-all', { by: 'ops.binh' });
    expect(all.status).toBe(200);
    expect((all.body.replayed as unknown[]).length).toBe(3);
    expect(all.body.skipped).toEqual([
      expect.objectContaining({ ...letter, code: 'DEAD_LETTER_ALREADY_REPLAYED' }),
    ]);
    await waitFor(() => received.length === 4, {
      description: 'all four letters back on the topic',
    });
    expect(received.map((r) => r.value)).toContainEqual(poison);
    expect(received.map((r) => r.value)).toContainEqual(avro);

    const audit = createPool(databaseUrl, 1);
    onCleanup(() => audit.end());
    const { rows } = await audit.query<{
      replayed_by: string;
      dlt_offset: string;
      replayed_at: Date;
    }>('SELECT replayed_by, dlt_offset, replayed_at FROM dead_letter_replay ORDER BY id');
    expect(rows.map((r) => [r.replayed_by, Number(r.dlt_offset)])).toEqual([
      ['ops.lan', offsetOf],
      ['ops.binh', expect.any(Number)],
      ['ops.binh', expect.any(Number)],
      ['ops.binh', expect.any(Number)],
    ]);
    expect(rows.every((r) => r.replayed_at instanceof Date)).toBe(true);
    const relisted = await json<{ letters: Letter[] }>(`${url}/api/dead-letters/${group}`);
    expect(relisted.body.letters.every((l) => l.replays.length === 1)).toBe(true);
  });
});
