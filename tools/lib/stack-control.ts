import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { ADMIN_PRINCIPAL, kafkaClientEnv } from './kafka-security.ts';
import { DATABASE_URL, KAFKA_PLAINTEXT, REGISTRY_PORT } from './stack-settings.ts';
import { ensureRegistryUsers, pinBusSubjects, REGISTRY_USERS_FILE } from './registry-users.ts';
import { ensurePostgresRoles, grantCrossReads, serviceDatabaseUrl } from './postgres-roles.ts';
import { build } from './build.ts';
import { allNodes, brokerAnswers, nodeProcess, startKafka } from './kafka-broker.ts';
import {
  clusterLayout,
  currentNodeCount,
  hostPort,
  type NodeCount,
} from './kafka-cluster-layout.ts';
import { bootstrapBrokers } from './kafka-nodes.ts';
import { keycloakAnswers, keycloakProcess, OIDC_ISSUER, startKeycloak } from './keycloak.ts';
import { StackError } from './stack-error.ts';
import { appEntry, appExists, appProcess, healthy, NODE_APPS } from './node-apps.ts';
import { ROOT } from './paths.ts';
import { runningPid, startDetached, stopProcess, tail, waitUntil } from './processes.ts';
import {
  startZipkin,
  tracingRequested,
  ZIPKIN_URL,
  zipkinAnswers,
  zipkinProcess,
} from './zipkin.ts';

export { StackError };

const infrastructureApps = () => NODE_APPS.filter((app) => app.infrastructure && appExists(app));

export async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface StackUpOptions {
  /** Kafka nodes: 1, or a 3-node cluster (default: STACK_KAFKA_NODES, else as formatted, else 1). */
  readonly nodes?: NodeCount;
}

export async function stackUp({ nodes = currentNodeCount() }: StackUpOptions = {}): Promise<void> {
  if (!(await postgresAnswers())) {
    throw new StackError(
      `PostgreSQL does not answer at ${new URL(DATABASE_URL).host}; start it (pg_ctlcluster 15 main start) or set DATABASE_URL.`,
    );
  }
  await ensurePostgresRoles(DATABASE_URL);
  await grantCrossReads(DATABASE_URL);
  const started = Date.now();
  const kafka = await startKafka(nodes);
  console.log(
    `stack: kafka ${kafka} on ${bootstrapBrokers().join(', ')} (${((Date.now() - started) / 1000).toFixed(1)}s)`,
  );
  if (kafka !== 'external' && !KAFKA_PLAINTEXT) applyKafkaAcls();
  const kcStarted = Date.now();
  const keycloak = await startKeycloak(DATABASE_URL);
  console.log(
    `stack: keycloak ${keycloak} at ${OIDC_ISSUER} (${((Date.now() - kcStarted) / 1000).toFixed(1)}s)`,
  );
  if (tracingRequested()) {
    console.log(`stack: zipkin ${await startZipkin()} at ${ZIPKIN_URL}`);
  }
  let built = false;
  for (const app of infrastructureApps()) {
    const proc = appProcess(app);
    const url = app.healthUrl ?? '';
    if (runningPid(proc) === undefined) {
      if (await healthy(url)) {
        console.log(`stack: ${app.name} already answers (not started by this checkout); using it`);
        continue;
      }
      if (!built) build();
      built = true;
      ensureRegistryUsers();
      startDetached(proc, process.execPath, [appEntry(app)], {
        cwd: ROOT,
        env: {
          ...process.env,
          SCHEMA_REGISTRY_USERS_FILE: REGISTRY_USERS_FILE,
          DATABASE_URL: serviceDatabaseUrl(DATABASE_URL, app.name) ?? DATABASE_URL,
        },
      });
    }
    const ready = await waitUntil(
      () => healthy(url),
      30_000,
      () => runningPid(proc) === undefined,
    );
    if (!ready) throw new StackError(`${app.name} did not become healthy:\n${tail(proc.logFile)}`);
    console.log(`stack: ${app.name} ready at ${new URL(url).origin}`);
    if (app.name === 'schema-registry') await pinBusSubjects(`http://127.0.0.1:${REGISTRY_PORT}`);
  }
  console.log('stack: up');
}

/** The ACLs as code (`npm run kafka:acls -- --apply`), as the stack's admin principal. */
function applyKafkaAcls(): void {
  const result = spawnSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'libs/contracts/src/cli/kafka-acls.cli.ts'), '--apply'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        KAFKA_BROKERS: bootstrapBrokers().join(','),
        ...kafkaClientEnv(ADMIN_PRINCIPAL),
      },
    },
  );
  if (result.status !== 0)
    throw new StackError(`kafka ACLs could not be applied:\n${result.stdout}${result.stderr}`);
  console.log(`stack: ${result.stdout.trim().split('\n').at(-1) ?? ''}`);
}

export async function stackDown(): Promise<void> {
  for (const app of [...NODE_APPS].reverse()) {
    if (await stopProcess(appProcess(app))) console.log(`stack: stopped ${app.name}`);
  }
  if (await stopProcess(zipkinProcess())) console.log('stack: stopped zipkin');
  if (await stopProcess(keycloakProcess(), 30_000)) console.log('stack: stopped keycloak');
  // Every node of either layout, together: a cluster's nodes shut down while their peers can
  // still take over leaderships, rather than the last one waiting for a quorum that has gone.
  const stopped = await Promise.all(
    allNodes().map(async (node) => ((await stopProcess(nodeProcess(node), 60_000)) ? node.id : 0)),
  );
  for (const id of stopped.filter(Boolean)) console.log(`stack: stopped kafka node ${id}`);
  console.log('stack: down');
}

export async function stackStatus(): Promise<void> {
  const rows: [string, string, string][] = [];
  const running = allNodes().filter((node) => runningPid(nodeProcess(node)) !== undefined);
  const shown = running.length > 0 ? running : clusterLayout(currentNodeCount());
  for (const node of shown) {
    const pid = runningPid(nodeProcess(node));
    const address = hostPort(node.brokerPort);
    rows.push([
      `kafka node ${node.id}`,
      pid ? `pid ${pid}` : 'stopped',
      (await brokerAnswers([address])) ? `answers on ${address}` : 'no answer',
    ]);
  }
  const kcPid = runningPid(keycloakProcess());
  rows.push([
    'keycloak',
    kcPid ? `pid ${kcPid}` : 'stopped',
    (await keycloakAnswers()) ? `answers at ${OIDC_ISSUER}` : 'no answer',
  ]);
  const zipkinPid = runningPid(zipkinProcess());
  rows.push([
    'zipkin',
    zipkinPid ? `pid ${zipkinPid}` : 'stopped',
    (await zipkinAnswers()) ? `answers at ${ZIPKIN_URL}` : 'no answer',
  ]);
  rows.push([
    'postgresql',
    'external',
    (await postgresAnswers()) ? `answers at ${new URL(DATABASE_URL).host}` : 'no answer',
  ]);
  for (const app of NODE_APPS.filter(appExists)) {
    const pid = runningPid(appProcess(app));
    const ok = app.healthUrl ? await healthy(app.healthUrl) : false;
    rows.push([app.name, pid ? `pid ${pid}` : 'stopped', ok ? 'healthy' : 'no answer']);
  }
  for (const [name, state, health] of rows)
    console.log(`${name.padEnd(22)} ${state.padEnd(12)} ${health}`);
}
