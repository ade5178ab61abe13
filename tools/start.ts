import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from './lib/build.ts';
import { prefixer } from './lib/log-prefix.ts';
import { appEntry, appExists, healthy, NODE_APPS, type NodeApp } from './lib/node-apps.ts';
import { ROOT } from './lib/paths.ts';
import { OIDC_SECRETS_FILE, oidcSecrets } from './lib/keycloak.ts';
import { kafkaClientEnv } from './lib/kafka-security.ts';
import { kafkaNodesEnv } from './lib/kafka-nodes.ts';
import { registryClientEnv } from './lib/registry-users.ts';
import { grantCrossReads, serviceDatabaseUrl } from './lib/postgres-roles.ts';
import { DATABASE_URL } from './lib/stack-settings.ts';
import { StackError, stackUp } from './lib/stack-control.ts';
import { ZIPKIN_SPANS_URL, ZIPKIN_URL, zipkinAnswers } from './lib/zipkin.ts';

/**
 * The main job: the local stack, then every app of the bus in the foreground with
 * prefixed logs, then the demo flow of citizen changes. Ctrl-C stops the apps
 * cleanly; the stack stays up for the next run (npm run stack:down stops it).
 */
const children = new Map<string, ChildProcess>();
let stopping = false;
const apps = NODE_APPS.filter((app) => !app.infrastructure && appExists(app));
const width = Math.max(...NODE_APPS.map((app) => app.name.length), 'demo'.length);

function pipe(child: ChildProcess, name: string, index: number): void {
  const format = prefixer(name, index, width);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(format(line)));
  }
}

/** Each app connects as its own principal: Kafka, registry, PostgreSQL (docs/data-plane-security.md). */
function appEnv(app: NodeApp): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // Every Kafka node, so that the apps ride out any one of a cluster's nodes being down.
    ...(app.kafkaPrincipal ? { ...kafkaNodesEnv(), ...kafkaClientEnv(app.kafkaPrincipal) } : {}),
    ...(app.registryRole ? registryClientEnv(app.registryRole) : {}),
    DATABASE_URL: serviceDatabaseUrl(DATABASE_URL, app.name) ?? DATABASE_URL,
  };
}

function startApp(app: NodeApp, index: number): ChildProcess {
  // The router's own client secret, for the national API's fills of new follows.
  const secret = app.name === 'share-router' ? oidcSecrets().clients['share-router'] : undefined;
  const child = spawn(process.execPath, [appEntry(app)], {
    cwd: ROOT,
    env: { ...appEnv(app), ...(secret ? { SHARE_ROUTER_CLIENT_SECRET: secret } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(app.name, child);
  pipe(child, app.name, index);
  child.on('exit', (code, signal) => {
    children.delete(app.name);
    if (!stopping) {
      console.error(`start: ${app.name} exited (${signal ?? code}); stopping the others`);
      void shutdown(1);
    }
  });
  return child;
}

async function waitHealthy(app: NodeApp, timeoutMs = 60_000): Promise<void> {
  if (!app.healthUrl) return;
  const deadline = Date.now() + timeoutMs;
  while (!(await healthy(app.healthUrl))) {
    if (stopping) return;
    if (Date.now() > deadline)
      throw new StackError(`${app.name} was not healthy after ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function shutdown(code: number): Promise<never> {
  stopping = true;
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  );
  await Promise.all(exits);
  console.log('start: apps stopped; the stack is still up (npm run stack:down stops it)');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  await stackUp();
  // With the local trace viewer up (stack:up --with-tracing), every app and the demo send it spans.
  if (await zipkinAnswers()) process.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT ??= ZIPKIN_SPANS_URL;
  build();
  apps.forEach((app, index) => startApp(app, index));
  // The national service first: the demo's changes create the master topic that the
  // router and the sector services wait for, so they turn healthy after it.
  const national = apps.find((app) => app.name === 'national-population');
  if (national) await waitHealthy(national);
  const demo = join(ROOT, 'dist/apps/national-population/src/simulate.js');
  if (national && existsSync(demo) && !stopping) {
    const child = spawn(
      process.execPath,
      [
        demo,
        '--citizens',
        process.env.DEMO_CITIZENS ?? '40',
        '--changes',
        process.env.DEMO_CHANGES ?? '200',
        '--rate',
        process.env.DEMO_RATE ?? '10',
      ],
      // The demo records changes through the national service's application layer.
      { cwd: ROOT, env: appEnv(national), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    pipe(child, 'demo', apps.length);
  }
  await Promise.all(apps.map((app) => waitHealthy(app, 180_000)));
  if (stopping) await new Promise(() => undefined); // shutdown() exits the process
  // The apps' migrations created the tables the ops console may read across services.
  await grantCrossReads(DATABASE_URL);
  console.log(`start: ${apps.length} apps healthy: ${apps.map((a) => a.name).join(', ')}`);
  console.log(
    'start: national API http://127.0.0.1:3000/docs · ops console http://127.0.0.1:3001 · Ctrl-C to stop',
  );
  if (process.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT === ZIPKIN_SPANS_URL)
    console.log(`start: traces at ${ZIPKIN_URL} (Run Query: one trace per demo change)`);
  console.log(
    `start: sign in as ops-viewer, ops-operator or ops-dpo; test users' passwords and client secrets are in ${OIDC_SECRETS_FILE} (README: "Signing in")`,
  );
} catch (error) {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
