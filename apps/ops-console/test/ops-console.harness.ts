/** Shared set-up of the ops console's integration tests: a console of its own per test. */
import { createServer } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadLagMonitorConfig, type GroupView } from '@bus/lag-monitor';
import { listenWithManagement } from '@bus/platform';
import {
  bearer,
  connectedConsumer,
  connectedProducer,
  createTestDatabase,
  oidcTestEnv,
  onCleanup,
  testKafka,
  testStack,
  uniqueName,
  userToken,
  waitFor,
  type TestUser,
} from '@bus/testing';
import { createOpsConsoleApp } from '../src/ops-console.app';

// Request logs of every poll of the page would drown the test output.
process.env.LOG_LEVEL ??= 'warn';

/**
 * Until nothing listens on `port`: the browser tests share the one port the realm allows as
 * the console's redirect, and two spec files may run at the same time.
 */
async function portFree(port: number): Promise<void> {
  const free = () =>
    new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
  await waitFor(free, { description: `port ${port} free`, timeoutMs: 150_000, intervalMs: 500 });
}

/** A console on ports of its own, watching only the groups the test names. */
export async function startConsole(
  groups: Record<string, string>,
  extra: Record<string, string> = {},
  port = 0,
): Promise<{
  url: string;
  /** /health and /metrics. */
  managementUrl: string;
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
  Object.assign(process.env, oidcTestEnv());
  if (port !== 0) await portFree(port);
  const app = await createOpsConsoleApp(config, undefined, { defaultMetrics: false });
  const { managementPort } = await listenWithManagement(app, {
    port,
    host: '127.0.0.1',
    managementPort: 0,
    managementHost: '127.0.0.1',
  });
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
    managementUrl: `http://127.0.0.1:${managementPort}`,
    app,
    databaseUrl,
    progressTopic: config.progressTopic,
  };
}

/** A call as `user` (a viewer by default; null: no token). */
export async function json<T>(
  url: string,
  init: RequestInit = {},
  user: TestUser | null = 'ops-viewer',
): Promise<{ status: number; body: T }> {
  const auth = user === null ? {} : bearer(await userToken(user));
  const response = await fetch(url, {
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), ...auth },
  });
  return { status: response.status, body: (await response.json()) as T };
}

export const groupOf = async (url: string, group: string) =>
  (await json<GroupView>(`${url}/api/groups/${encodeURIComponent(group)}`)).body;

/** Produces one small message every 50 ms until stopped. */
export async function steadyProducer(
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

export async function startConsumer(
  group: string,
  topic: string,
): Promise<{ stop: () => Promise<void> }> {
  const consumer = await connectedConsumer(group);
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ autoCommitInterval: 100, eachMessage: async () => undefined });
  return { stop: () => consumer.disconnect() };
}
