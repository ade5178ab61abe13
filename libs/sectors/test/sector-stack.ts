import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  BUS_KAFKA_NAMES,
  RELAY_PRINCIPAL,
  ROUTER_PRINCIPAL,
  startCitizenChangedSerializer,
  syncPrincipal,
  type CitizenChanged,
  type Sector,
} from '@bus/contracts';
import {
  createLogger,
  DEFAULT_FETCH_WINDOW,
  listenWithManagement,
  migrateAuditTrail,
} from '@bus/platform';
import type { EngineRunOptions } from '@bus/sector-sync';
import {
  type CitizenStateSource,
  loadShareRouterConfig,
  ShareRouterEngine,
  type ShareRouterConfig,
} from '@bus/sharing';
import {
  bhytSector,
  landSector,
  createSectorApp,
  taxSector,
  tthcSector,
  type SectorConfig,
  type SectorDefinition,
} from '@bus/sectors';
import {
  asKafkaPrincipal,
  connectedProducer,
  grantTestAcls,
  testKafka,
  createTestDatabase,
  bearer,
  clientToken,
  createTestTopic,
  oidcTestEnv,
  onCleanup,
  testStack,
  uniqueName,
  waitFor,
} from '@bus/testing';

export const SECTORS: Record<Sector, SectorDefinition> = {
  bhyt: bhytSector,
  land: landSector,
  tax: taxSector,
  tthc: tthcSector,
};

export interface SectorStack {
  /** The stack's private master topic (the router reads it). */
  readonly masterTopic: string;
  readonly router: ShareRouterConfig;
  /** The router running now (a new one after `restartRouter`). */
  readonly engine: ShareRouterEngine;
  /** The private follow-list topic of this stack's sectors and router. */
  readonly followsTopic: string;
  readonly sectors: Record<Sector, SectorConfig>;
  readonly urls: Partial<Record<Sector, string>>;
  /** The management port's URL (/health, /metrics). */
  readonly managementUrls: Partial<Record<Sector, string>>;
  readonly apps: Partial<Record<Sector, INestApplication>>;
  readonly pools: Record<Sector, pg.Pool>;
  /** Whether each service runs as its own Kafka principal. */
  readonly principals: boolean;
  /** The private topic every sector of this stack writes its delivery receipts to. */
  readonly receiptsTopic: string;
  publish(events: readonly CitizenChanged[]): Promise<void>;
  /** Stops the router and starts a new one with the same configuration (a restart). */
  restartRouter(): Promise<void>;
}

/** No national side in this stack: a new follow finds no state to fill (the fill's own test has one). */
const NO_NATIONAL_STATE: CitizenStateSource = { current: async () => null };

/**
 * A private master topic, router, four share topics, four sector databases and apps. With
 * `principals`, the router, each sector and the publisher (as the relay) connect as their own
 * Kafka principal, under the bus's ACLs granted on these private names. `states` is where the
 * router reads a new follow's current state.
 */
export async function sectorStack(
  partitions = 3,
  {
    principals = false,
    states = NO_NATIONAL_STATE,
  }: { principals?: boolean; states?: CitizenStateSource } = {},
): Promise<SectorStack> {
  const stack = testStack();
  const masterTopic = await createTestTopic('population.citizen-changed', partitions);
  const followsTopic = await createTestTopic('sync.follows', 3);
  const prefix = `${uniqueName('s')}.`;
  const router = loadShareRouterConfig({
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    MASTER_TOPIC: masterTopic,
    SHARE_TOPIC_PREFIX: prefix,
    SHARE_ROUTER_GROUP: uniqueName('bus.share-router'),
    FOLLOWS_TOPIC: followsTopic,
  });
  const receiptsTopic = await createTestTopic('sync.delivery-receipts', 3);
  const groups = Object.fromEntries(
    (Object.keys(SECTORS) as Sector[]).map((id) => [id, uniqueName(`bus.sync-${id}`)]),
  ) as Record<Sector, string>;
  if (principals)
    await grantTestAcls({
      ...BUS_KAFKA_NAMES,
      masterTopic,
      shareTopic: (id) => router.shareTopics[id],
      routerGroup: router.groupId,
      syncGroup: (id) => groups[id],
      receiptsTopic,
      followsTopic,
    });
  const as = <T>(principal: string, create: () => Promise<T>) =>
    principals ? asKafkaPrincipal(principal, create) : create();
  const startRouter = async () => {
    const started = await as(
      ROUTER_PRINCIPAL,
      async () => new ShareRouterEngine(router, createLogger('share-router-test'), states),
    );
    onCleanup(() => started.stop());
    await started.start();
    return started;
  };
  let engine = await startRouter();
  const sectors = {} as Record<Sector, SectorConfig>;
  const pools = {} as Record<Sector, pg.Pool>;
  for (const id of Object.keys(SECTORS) as Sector[]) {
    const databaseUrl = await createTestDatabase(`bus_${id}`);
    sectors[id] = {
      port: 0,
      brokers: stack.kafkaBrokers,
      registryUrl: stack.schemaRegistryUrl,
      databaseUrl,
      topic: router.shareTopics[id],
      groupId: groups[id],
      fetch: DEFAULT_FETCH_WINDOW,
      receiptsTopic,
      followsTopic,
    };
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pool.on('error', () => undefined);
    onCleanup(() => pool.end());
    pools[id] = pool;
  }
  const producer = await as(RELAY_PRINCIPAL, () =>
    connectedProducer(testKafka(), { idempotent: true }),
  );
  const serializer = await startCitizenChangedSerializer(stack.schemaRegistryUrl, masterTopic);
  return {
    masterTopic,
    router,
    get engine() {
      return engine;
    },
    followsTopic,
    async restartRouter() {
      await engine.stop();
      engine = await startRouter();
    },
    sectors,
    principals,
    pools,
    receiptsTopic,
    urls: {},
    managementUrls: {},
    apps: {},
    async publish(events) {
      await producer.send({
        topic: masterTopic,
        acks: -1,
        messages: events.map((e) => ({ key: e.personalId, value: serializer.serialize(e) })),
      });
    },
  };
}

export async function startSector(
  s: SectorStack,
  id: Sector,
  run: EngineRunOptions = {},
): Promise<string> {
  Object.assign(process.env, oidcTestEnv());
  await migrateAuditTrail(s.sectors[id].databaseUrl);
  const create = () => createSectorApp(SECTORS[id], s.sectors[id], run, { logger: false });
  const app = s.principals ? await asKafkaPrincipal(syncPrincipal(id), create) : await create();
  const { managementPort } = await listenWithManagement(app, {
    port: 0,
    host: '127.0.0.1',
    managementPort: 0,
    managementHost: '127.0.0.1',
  });
  onCleanup(() => app.close());
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  (s.urls as Record<string, string>)[id] = url;
  (s.managementUrls as Record<string, string>)[id] = `http://127.0.0.1:${managementPort}`;
  (s.apps as Record<string, INestApplication>)[id] = app;
  return url;
}

/** `GET /citizens/:id` as the sector's own system (client-credentials token). */
export async function readCitizen(
  s: SectorStack,
  id: Sector,
  personalId: string,
): Promise<Response> {
  return fetch(`${s.urls[id]}/citizens/${personalId}`, {
    headers: bearer(await clientToken(`${id}-system`)),
  });
}

/**
 * The sector's own system follows (or unfollows) the citizens over its API; resolves once
 * the router's follow-list has the change.
 */
export async function follow(
  s: SectorStack,
  id: Sector,
  personalIds: readonly string[],
  following = true,
): Promise<void> {
  const headers = bearer(await clientToken(`${id}-system`));
  for (const personalId of personalIds) {
    // Refused (500) until the app's migrations ran: a just-started sector is retried.
    await waitFor(
      async () =>
        (
          await fetch(`${s.urls[id]}/follows/${personalId}`, {
            method: following ? 'PUT' : 'DELETE',
            headers,
          })
        ).status === 200,
      { description: `${id} ${following ? 'follows' : 'unfollows'} a citizen` },
    );
  }
  await waitFor(
    () => personalIds.every((p) => s.engine.followLists.delivers(id, p) === following),
    { description: `the router sees ${id}'s ${following ? 'follows' : 'unfollows'}` },
  );
}

/** Until the sector's database holds `version` for the citizen. */
export async function waitForVersion(
  s: SectorStack,
  id: Sector,
  personalId: string,
  version: number,
  timeoutMs = 45_000,
): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await s.pools[id].query<{ version: string }>(
        'SELECT version FROM sync_versions WHERE aggregate_key = $1',
        [personalId],
      );
      return Number(rows[0]?.version ?? 0) >= version;
    },
    { description: `${id} at version ${version}`, timeoutMs },
  );
}

/** Every row of the sector's tables, without surrogate ids, in a stable order. */
export async function snapshot(s: SectorStack, id: Sector): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of SECTORS[id].tables) {
    const { rows } = await s.pools[id].query(`SELECT * FROM "${table}"`);
    const clean = rows.map(({ id: _id, ...rest }) => rest);
    result[table] = clean.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return result;
}

export async function columnsOf(s: SectorStack, id: Sector): Promise<string[]> {
  const { rows } = await s.pools[id].query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  return rows.map((r) => r.column_name);
}
