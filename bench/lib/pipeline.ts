import { createServer } from 'node:net';
import {
  DELIVERY_RECEIPTS_TOPIC,
  FOLLOWS_TOPIC,
  MASTER_TOPIC,
  SECTORS,
  shareTopic as share,
  sharingPolicy,
  type Sector,
} from '@bus/contracts';
import { createPool, type Pool } from '@bus/platform';
import { appEntry, ChildApp } from './child-app';
import type { BenchContext } from './run-context';

/** Names of one isolated copy of the bus: its own databases, topics and groups. */
export function pipelineNames(context: BenchContext) {
  const prefix = `bench.e2e.${context.suffix}.`;
  const db = (name: string) => `bench_e2e_${name}_${context.suffix}`;
  const syncGroup = (sector: Sector) => `${prefix}sync-${sector}`;
  const shareTopic = (sector: Sector) => `${prefix}${share(sector)}`;
  const ledgerGroup = `${prefix}ledger`;
  return {
    prefix,
    populationDatabase: db('population'),
    sectorDatabase: (sector: Sector) => db(sector),
    masterTopic: `${prefix}${MASTER_TOPIC}`,
    shareTopic,
    routerGroup: `${prefix}share-router`,
    syncGroup,
    receiptsTopic: `${prefix}${DELIVERY_RECEIPTS_TOPIC}`,
    followsTopic: `${prefix}${FOLLOWS_TOPIC}`,
    ledgerDatabase: db('ledger'),
    /** The write path's anchor (bench/http-anchor.app.ts). */
    anchorDatabase: db('anchor'),
    ledgerGroup,
    databases: [db('population'), ...SECTORS.map(db), db('ledger'), db('anchor')],
    topics: [
      `${prefix}${MASTER_TOPIC}`,
      `${prefix}${DELIVERY_RECEIPTS_TOPIC}`,
      `${prefix}${FOLLOWS_TOPIC}`,
      `${ledgerGroup}.dlt`,
      `${prefix}share-router.dlt`,
      ...SECTORS.flatMap((s) => [shareTopic(s), `${syncGroup(s)}.dlt`]),
    ],
  };
}
export type PipelineNames = ReturnType<typeof pipelineNames>;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function commonEnv(context: BenchContext): Record<string, string> {
  return {
    KAFKA_BROKERS: context.brokers.join(','),
    SCHEMA_REGISTRY_URL: context.registry,
    DATABASE_URL: context.server,
  };
}

export function startRelay(context: BenchContext, names: PipelineNames, run = 1): ChildApp {
  return new ChildApp({
    name: run === 1 ? 'relay' : `relay-${run}`,
    entry: appEntry('national-population', 'relay.main.js'),
    cpuProfileDir: context.cpuProfileDir,
    env: {
      ...commonEnv(context),
      NATIONAL_POPULATION_DATABASE_URL: context.databaseUrl(names.populationDatabase),
      RELAY_TOPIC: names.masterTopic,
      MASTER_TOPIC_PARTITIONS: String(context.partitions),
    },
  });
}

/** `stateUrl`: where the fills of new follows come from (see startStateServer). */
export async function startRouter(
  context: BenchContext,
  names: PipelineNames,
  stateUrl: string,
): Promise<ChildApp> {
  const router = new ChildApp({
    name: 'share-router',
    entry: appEntry('share-router'),
    cpuProfileDir: context.cpuProfileDir,
    env: {
      ...commonEnv(context),
      PORT: String(await freePort()),
      MASTER_TOPIC: names.masterTopic,
      SHARE_TOPIC_PREFIX: names.prefix,
      SHARE_ROUTER_GROUP: names.routerGroup,
      FOLLOWS_TOPIC: names.followsTopic,
      NATIONAL_API_URL: stateUrl,
      OIDC_ISSUER: stateUrl,
    },
  });
  await router.waitForLog((l) => l.msg === 'share router running', 120_000);
  return router;
}

export async function startSync(
  context: BenchContext,
  names: PipelineNames,
  sector: Sector,
): Promise<ChildApp> {
  const app = new ChildApp({
    name: `sync-${sector}`,
    entry: appEntry(`sync-${sector}`),
    cpuProfileDir: context.cpuProfileDir,
    env: {
      ...commonEnv(context),
      PORT: String(await freePort()),
      // The management port too: a bus started by `npm start` holds the defaults.
      MANAGEMENT_PORT: String(await freePort()),
      [`${sector.toUpperCase()}_DATABASE_URL`]: context.databaseUrl(names.sectorDatabase(sector)),
      SHARE_TOPIC: names.shareTopic(sector),
      SYNC_GROUP: names.syncGroup(sector),
      RECEIPTS_TOPIC: names.receiptsTopic,
      FOLLOWS_TOPIC: names.followsTopic,
    },
  });
  await app.waitForLog((l) => l.msg === 'sector sync running', 120_000);
  return app;
}

/** The ledger on this run's receipts topic; it waits for the topic the sync services create. */
export async function startLedger(context: BenchContext, names: PipelineNames): Promise<ChildApp> {
  return new ChildApp({
    name: 'ledger',
    entry: appEntry('ledger'),
    cpuProfileDir: context.cpuProfileDir,
    env: {
      ...commonEnv(context),
      PORT: String(await freePort()),
      // The management port too: a bus started by `npm start` holds the defaults.
      MANAGEMENT_PORT: String(await freePort()),
      LEDGER_DATABASE_URL: context.databaseUrl(names.ledgerDatabase),
      RECEIPTS_TOPIC: names.receiptsTopic,
      LEDGER_GROUP: names.ledgerGroup,
    },
  });
}

/** Receipts the sectors committed, and rows the ledger holds: equal once the ledger caught up. */
export class LedgerProbe {
  private readonly ledger: Pool;

  constructor(
    context: BenchContext,
    names: PipelineNames,
    private readonly sectors: SectorProbe,
  ) {
    this.ledger = createPool(context.databaseUrl(names.ledgerDatabase), 2);
  }

  async receipts(): Promise<number> {
    let total = 0;
    for (const sector of SECTORS) {
      const { rows } = await this.sectors.pools[sector].query<{ n: string }>(
        'SELECT count(*) AS n FROM sync_receipts',
      );
      total += Number(rows[0]!.n);
    }
    return total;
  }

  async stored(): Promise<number> {
    const { rows } = await this.ledger
      .query<{ n: string }>('SELECT count(*) AS n FROM disclosures')
      .catch(() => ({ rows: [{ n: '0' }] }));
    return Number(rows[0]!.n);
  }

  async end(): Promise<void> {
    await this.ledger.end();
  }
}

export interface SectorTarget {
  /** Citizens the sector must hold, and the sum of their latest routed versions. */
  readonly citizens: number;
  readonly versionSum: number;
  /** Events the policy routes to the sector. */
  readonly events: number;
}

/**
 * What each sector must hold once in sync, from the population outbox and the shipped
 * sharing policy: per citizen, the highest version among the event types the sector gets;
 * for a sector delivered only the citizens it follows, of the `followed` ones.
 */
export async function sectorTargets(
  population: Pool,
  followed: readonly string[],
): Promise<Record<Sector, SectorTarget>> {
  const policy = sharingPolicy();
  const result = {} as Record<Sector, SectorTarget>;
  for (const sector of SECTORS) {
    const types = [...policy.sectors[sector].eventTypes];
    const onlyFollowed = policy.sectors[sector].delivery === 'followed';
    const { rows } = await population.query<{ citizens: string; sum: string; events: string }>(
      `SELECT count(*) AS citizens, coalesce(sum(v), 0) AS sum, coalesce(sum(n), 0) AS events
       FROM (SELECT max(aggregate_version) AS v, count(*) AS n FROM outbox
             WHERE event_type = ANY($1::text[]) AND (NOT $2 OR aggregate_id = ANY($3::text[]))
             GROUP BY aggregate_id) t`,
      [types, onlyFollowed, followed],
    );
    result[sector] = {
      citizens: Number(rows[0]!.citizens),
      versionSum: Number(rows[0]!.sum),
      events: Number(rows[0]!.events),
    };
  }
  return result;
}

/** The sectors' own databases, read the way the framework writes them (sync_versions). */
export class SectorProbe {
  readonly pools: Record<Sector, Pool>;

  constructor(context: BenchContext, names: PipelineNames) {
    this.pools = Object.fromEntries(
      SECTORS.map((s) => [s, createPool(context.databaseUrl(names.sectorDatabase(s)), 2)]),
    ) as Record<Sector, Pool>;
  }

  async state(
    sector: Sector,
  ): Promise<{ citizens: number; versionSum: number; lastAppliedAt: number }> {
    const { rows } = await this.pools[sector].query<{ n: string; sum: string; last: Date | null }>(
      'SELECT count(*) AS n, coalesce(sum(version), 0) AS sum, max(applied_at) AS last FROM sync_versions',
    );
    return {
      citizens: Number(rows[0]!.n),
      versionSum: Number(rows[0]!.sum),
      lastAppliedAt: rows[0]!.last?.getTime() ?? 0,
    };
  }

  /** Event IDs applied since a time, with the sector transaction's time (now() in the framework). */
  async appliedSince(sector: Sector, since: Date): Promise<Map<string, number>> {
    const { rows } = await this.pools[sector].query<{ event_id: string; at: Date }>(
      'SELECT event_id, applied_at AS at FROM sync_versions WHERE applied_at >= $1',
      [since],
    );
    return new Map(rows.map((r) => [r.event_id, r.at.getTime()]));
  }

  async end(): Promise<void> {
    await Promise.all(Object.values(this.pools).map((p) => p.end()));
  }
}
