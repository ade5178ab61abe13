import type { NestExpressApplication } from '@nestjs/platform-express';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { loadLagMonitorConfig, type GroupView } from '@bus/lag-monitor';
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
): Promise<{ url: string; app: NestExpressApplication }> {
  const stack = testStack();
  const config = loadLagMonitorConfig({
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    OPS_CONSOLE_DATABASE_URL: await createTestDatabase('ops'),
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
  return { url: `http://127.0.0.1:${address.port}`, app };
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
