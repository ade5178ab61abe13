import { z } from 'zod';
import {
  ConfigError,
  busDatabaseName,
  databaseUrlFor,
  DEFAULT_DATABASE_URL,
  DEFAULT_SCHEMA_REGISTRY_URL,
  env,
  loadConfig,
} from '@bus/platform';
import {
  MASTER_TOPIC,
  SECTORS,
  SHARE_ROUTER_GROUP,
  SYNC_PROGRESS_TOPIC,
  syncGroup,
} from '@bus/contracts';
import { parseGroupThresholds, parseThreshold } from './domain/thresholds';

const csv = (defaultValue = '') =>
  z
    .string()
    .default(defaultValue)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    );

/** Wraps a throwing parser so its message becomes a field-level config error. */
const parsed = <T>(defaultValue: string, parse: (text: string) => T) =>
  z
    .string()
    .default(defaultValue)
    .transform((value, ctx) => {
      try {
        return parse(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

const DEFAULT_SECTORS = SECTORS.map((s) => `${s}=${syncGroup(s)}`).join(',');

function parseSectors(text: string): Record<string, string> {
  const sectors: Record<string, string> = {};
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (!entry) continue;
    const [sector, group, ...rest] = entry.split('=').map((p) => p.trim());
    if (!sector || !group || rest.length > 0)
      throw new ConfigError(`"${entry}" is not sector=group`);
    sectors[sector] = group;
  }
  return sectors;
}

const schema = z.object({
  KAFKA_BROKERS: env.kafkaBrokers,
  SCHEMA_REGISTRY_URL: env.url(DEFAULT_SCHEMA_REGISTRY_URL),
  DATABASE_URL: env.postgresUrl(DEFAULT_DATABASE_URL),
  OPS_CONSOLE_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  PORT: env.port(3001),
  LAG_POLL_INTERVAL_MS: env.positiveInt(5_000),
  LAG_WINDOW_SIZE: z.coerce.number().int().min(2).max(100).default(10),
  LAG_TABLE_SIZE: z.coerce.number().int().min(2).max(1_000).default(60),
  LAG_HISTORY_SIZE: z.coerce.number().int().min(2).max(1_000).default(60),
  LAG_GROUP_PREFIXES: csv('bus.'),
  LAG_GROUPS: csv(),
  LAG_THRESHOLD_DEFAULT: parsed('60:300', parseThreshold),
  LAG_THRESHOLDS: parsed('', parseGroupThresholds),
  OPS_SECTORS: parsed(DEFAULT_SECTORS, parseSectors),
  SYNC_PROGRESS_TOPIC: z.string().min(1).default(SYNC_PROGRESS_TOPIC),
  DLQ_LIST_LIMIT: z.coerce.number().int().min(1).max(10_000).default(200),
  // "Where is this event?" reads the national outbox and the ledger's receipts (read only).
  NATIONAL_POPULATION_DATABASE_URL: env.postgresUrl('postgres://unset').optional(),
  LEDGER_DATABASE_URL: env.postgresUrl('postgres://unset').optional(),
  MASTER_TOPIC: z.string().min(1).default(MASTER_TOPIC),
  SHARE_ROUTER_GROUP: z.string().min(1).default(SHARE_ROUTER_GROUP),
  TRACE_VIEW_URL: env.url('http://127.0.0.1:9411/zipkin/traces/'),
});

export interface LagMonitorConfig {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  /** The ops database itself (bus_ops on the server unless overridden). */
  readonly databaseUrl: string;
  readonly port: number;
  readonly pollIntervalMs: number;
  readonly windowSize: number;
  readonly tableSize: number;
  readonly historySize: number;
  /** Groups watched when their id starts with one of these. */
  readonly groupPrefixes: readonly string[];
  /** Groups watched and expected to exist (the sector groups plus LAG_GROUPS). */
  readonly expectedGroups: readonly string[];
  readonly thresholds: {
    readonly defaults: { warnSeconds: number; errorSeconds: number };
    readonly byGroup: Readonly<Record<string, { warnSeconds: number; errorSeconds: number }>>;
  };
  /** sector -> consumer group, e.g. bhyt -> bus.sync-bhyt. */
  readonly sectors: Readonly<Record<string, string>>;
  readonly progressTopic: string;
  readonly deadLetterListLimit: number;
  readonly trail: {
    readonly nationalDatabaseUrl: string;
    readonly ledgerDatabaseUrl: string;
    readonly masterTopic: string;
    readonly routerGroup: string;
    /** A trace's page in the trace viewer is this followed by the trace id. */
    readonly traceUrl: string;
  };
}

export function loadLagMonitorConfig(
  source: Record<string, string | undefined> = process.env,
): LagMonitorConfig {
  const c = loadConfig('ops-console', schema, source);
  return {
    kafkaBrokers: c.KAFKA_BROKERS,
    schemaRegistryUrl: c.SCHEMA_REGISTRY_URL,
    databaseUrl:
      c.OPS_CONSOLE_DATABASE_URL ?? databaseUrlFor(c.DATABASE_URL, busDatabaseName('bus_ops')),
    port: c.PORT,
    pollIntervalMs: c.LAG_POLL_INTERVAL_MS,
    windowSize: c.LAG_WINDOW_SIZE,
    tableSize: c.LAG_TABLE_SIZE,
    historySize: c.LAG_HISTORY_SIZE,
    groupPrefixes: c.LAG_GROUP_PREFIXES,
    expectedGroups: [...new Set([...Object.values(c.OPS_SECTORS), ...c.LAG_GROUPS])],
    thresholds: { defaults: c.LAG_THRESHOLD_DEFAULT, byGroup: c.LAG_THRESHOLDS },
    sectors: c.OPS_SECTORS,
    progressTopic: c.SYNC_PROGRESS_TOPIC,
    deadLetterListLimit: c.DLQ_LIST_LIMIT,
    trail: {
      nationalDatabaseUrl:
        c.NATIONAL_POPULATION_DATABASE_URL ?? databaseUrlFor(c.DATABASE_URL, 'bus_population'),
      ledgerDatabaseUrl: c.LEDGER_DATABASE_URL ?? databaseUrlFor(c.DATABASE_URL, 'bus_ledger'),
      masterTopic: c.MASTER_TOPIC,
      routerGroup: c.SHARE_ROUTER_GROUP,
      traceUrl: c.TRACE_VIEW_URL,
    },
  };
}
