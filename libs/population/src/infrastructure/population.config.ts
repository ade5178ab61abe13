import { z } from 'zod';
import { MASTER_TOPIC } from '@bus/contracts';
import {
  busDatabaseName,
  databaseUrlFor,
  DEFAULT_DATABASE_URL,
  DEFAULT_SCHEMA_REGISTRY_URL,
  env,
  loadConfig,
} from '@bus/platform';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .default('true')
  .transform((v) => v === 'true' || v === '1');

const DAY_MS = 86_400_000;

export const PopulationConfigSchema = z.object({
  PORT: env.port(3000),
  DATABASE_URL: env.postgresUrl(DEFAULT_DATABASE_URL),
  /** Overrides the database; by default `bus_population` on the DATABASE_URL server. */
  NATIONAL_POPULATION_DATABASE_URL: env.postgresUrl('').optional().or(z.literal('')),
  KAFKA_BROKERS: env.kafkaBrokers,
  SCHEMA_REGISTRY_URL: env.url(DEFAULT_SCHEMA_REGISTRY_URL),
  /** Only tests point the relay elsewhere; the pinned master topic otherwise. */
  RELAY_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/)
    .default(MASTER_TOPIC),
  MASTER_TOPIC_PARTITIONS: env.positiveInt(12),
  /** Unset: the brokers' default (1 on the single node, 3 on the cluster, min ISR to match). */
  MASTER_TOPIC_REPLICATION_FACTOR: z.coerce.number().int().positive().optional(),
  /** Days, so that a sector down for a week still sees every change, not just the latest. */
  MASTER_TOPIC_MIN_COMPACTION_LAG_MS: env.positiveInt(7 * DAY_MS),
  /**
   * Where the relay puts outbox rows it cannot encode. Unset: the bus's relay dead-letter
   * topic, or `<RELAY_TOPIC>.dlt` for a relay pointed at another topic (tests, benches).
   */
  RELAY_DEAD_LETTER_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/)
    .optional(),
  /** Run the outbox relay inside the API process (it can also run alone: relay.main.js). */
  RELAY_ENABLED: bool,
  RELAY_BATCH_SIZE: env.positiveInt(2_000),
  RELAY_POLL_INTERVAL_MS: env.positiveInt(5_000),
  /** Published outbox rows are pruned after this many hours (0 keeps them). */
  OUTBOX_RETAIN_HOURS: z.coerce.number().min(0).default(168),
  /** Rows per prune statement, and the least time between two statements. */
  OUTBOX_PRUNE_BATCH_SIZE: env.positiveInt(1_000),
  OUTBOX_PRUNE_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000),
  HTTP_BODY_LIMIT: z.string().default('64kb'),
  BULK_LOAD_BODY_LIMIT: z.string().default('16mb'),
  LOG_LEVEL: env.logLevel,
});

export interface PopulationConfig {
  readonly port: number;
  readonly databaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  /** The master topic, unless a test points the relay elsewhere. */
  readonly topic: string;
  readonly masterTopic: {
    partitions: number;
    replicationFactor?: number;
    minCompactionLagMs: number;
  };
  readonly relay: {
    enabled: boolean;
    batchSize: number;
    pollIntervalMs: number;
    /** Unset: RELAY_DEAD_LETTER_TOPIC for the master topic, `<topic>.dlt` for another. */
    deadLetterTopic?: string;
    /** Outbox retention; absent (tests, benches that build the config by hand) keeps rows. */
    retainPublishedSeconds?: number;
    pruneBatchSize?: number;
    pruneIntervalMs?: number;
  };
  readonly http: { bodyLimit: string; bulkLoadBodyLimit: string };
}

export const POPULATION_DATABASE = 'bus_population';

export function loadPopulationConfig(
  source: Record<string, string | undefined> = process.env,
): PopulationConfig {
  const c = loadConfig('national-population', PopulationConfigSchema, source);
  return {
    port: c.PORT,
    databaseUrl:
      c.NATIONAL_POPULATION_DATABASE_URL ||
      databaseUrlFor(c.DATABASE_URL, busDatabaseName(POPULATION_DATABASE)),
    kafkaBrokers: c.KAFKA_BROKERS,
    schemaRegistryUrl: c.SCHEMA_REGISTRY_URL,
    topic: c.RELAY_TOPIC,
    masterTopic: {
      partitions: c.MASTER_TOPIC_PARTITIONS,
      ...(c.MASTER_TOPIC_REPLICATION_FACTOR
        ? { replicationFactor: c.MASTER_TOPIC_REPLICATION_FACTOR }
        : {}),
      minCompactionLagMs: c.MASTER_TOPIC_MIN_COMPACTION_LAG_MS,
    },
    relay: {
      enabled: c.RELAY_ENABLED,
      batchSize: c.RELAY_BATCH_SIZE,
      pollIntervalMs: c.RELAY_POLL_INTERVAL_MS,
      ...(c.RELAY_DEAD_LETTER_TOPIC ? { deadLetterTopic: c.RELAY_DEAD_LETTER_TOPIC } : {}),
      retainPublishedSeconds: c.OUTBOX_RETAIN_HOURS * 3_600,
      pruneBatchSize: c.OUTBOX_PRUNE_BATCH_SIZE,
      pruneIntervalMs: c.OUTBOX_PRUNE_INTERVAL_MS,
    },
    http: { bodyLimit: c.HTTP_BODY_LIMIT, bulkLoadBodyLimit: c.BULK_LOAD_BODY_LIMIT },
  };
}
