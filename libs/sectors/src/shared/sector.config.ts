import { z } from 'zod';
import {
  DEFAULT_DATABASE_URL,
  DEFAULT_SCHEMA_REGISTRY_URL,
  busDatabaseName,
  databaseUrlFor,
  env,
  fetchWindowEnv,
  fetchWindowOf,
  loadConfig,
  type FetchWindow,
} from '@bus/platform';
import { DELIVERY_RECEIPTS_TOPIC, FOLLOWS_TOPIC, shareTopic, syncGroup } from '@bus/contracts';
import type { SectorDefinition } from './sector.definition';

export interface SectorConfig {
  readonly port: number;
  readonly brokers: string[];
  readonly registryUrl: string;
  readonly databaseUrl: string;
  readonly topic: string;
  readonly groupId: string;
  readonly fetch: FetchWindow;
  /** Where the sector's delivery receipts go (default `sync.delivery-receipts`). */
  readonly receiptsTopic?: string;
  /** Where the sector's follow-list changes go (default `sync.follows`). */
  readonly followsTopic?: string;
}

/** One schema for the four sync apps; `<SECTOR>_DATABASE_URL` names another database. */
export function loadSectorConfig(
  definition: SectorDefinition,
  source: Record<string, string | undefined> = process.env,
): SectorConfig {
  const upper = definition.sector.toUpperCase();
  const schema = z.object({
    PORT: env.port(definition.defaultPort),
    KAFKA_BROKERS: env.kafkaBrokers,
    SCHEMA_REGISTRY_URL: env.url(DEFAULT_SCHEMA_REGISTRY_URL),
    DATABASE_URL: env.postgresUrl(DEFAULT_DATABASE_URL),
    [`${upper}_DATABASE_URL`]: env.postgresUrl('postgres://unset').optional(),
    SHARE_TOPIC: z.string().min(1).default(shareTopic(definition.sector)),
    SYNC_GROUP: z.string().min(1).default(syncGroup(definition.sector)),
    RECEIPTS_TOPIC: z.string().min(1).default(DELIVERY_RECEIPTS_TOPIC),
    FOLLOWS_TOPIC: z.string().min(1).default(FOLLOWS_TOPIC),
    ...fetchWindowEnv,
  });
  const c = loadConfig(`sync-${definition.sector}`, schema, source) as Record<string, unknown>;
  const own = source[`${upper}_DATABASE_URL`];
  return {
    port: c.PORT as number,
    brokers: c.KAFKA_BROKERS as string[],
    registryUrl: c.SCHEMA_REGISTRY_URL as string,
    databaseUrl:
      own ?? databaseUrlFor(c.DATABASE_URL as string, busDatabaseName(`bus_${definition.sector}`)),
    topic: c.SHARE_TOPIC as string,
    groupId: c.SYNC_GROUP as string,
    fetch: fetchWindowOf(c as Parameters<typeof fetchWindowOf>[0]),
    receiptsTopic: c.RECEIPTS_TOPIC as string,
    followsTopic: c.FOLLOWS_TOPIC as string,
  };
}
