import { z } from 'zod';
import {
  DEFAULT_OIDC_ISSUER,
  DEFAULT_SCHEMA_REGISTRY_URL,
  env,
  fetchWindowEnv,
  fetchWindowOf,
  loadConfig,
  type FetchWindow,
} from '@bus/platform';
import {
  FOLLOWS_TOPIC,
  MASTER_TOPIC,
  SHARE_ROUTER_GROUP,
  SHARE_TOPICS,
  type Sector,
} from '@bus/contracts';

const schema = z.object({
  KAFKA_BROKERS: env.kafkaBrokers,
  SCHEMA_REGISTRY_URL: env.url(DEFAULT_SCHEMA_REGISTRY_URL),
  PORT: env.port(3005),
  SHARE_ROUTER_INSTANCE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('0'),
  MASTER_TOPIC: z.string().min(1).default(MASTER_TOPIC),
  /** Prefix for test isolation: `<prefix>share.<sector>.citizen-changed`. */
  SHARE_TOPIC_PREFIX: z.string().default(''),
  SHARE_ROUTER_GROUP: z.string().min(1).default(SHARE_ROUTER_GROUP),
  /** The sectors' follow-lists (compacted), read from the start at every boot. */
  FOLLOWS_TOPIC: z.string().min(1).default(FOLLOWS_TOPIC),
  /** Where a new follow's fill (the citizen's current state) comes from. */
  NATIONAL_API_URL: env.url('http://127.0.0.1:3000'),
  OIDC_ISSUER: env.url(DEFAULT_OIDC_ISSUER),
  /** The router's own client (client credentials, role `state-reader` of national-population). */
  SHARE_ROUTER_CLIENT_ID: z.string().min(1).default('share-router'),
  SHARE_ROUTER_CLIENT_SECRET: z.string().min(1).optional(),
  /** How long the group waits for a silent instance before its partitions move (kafkajs: 30 s). */
  SHARE_ROUTER_SESSION_TIMEOUT_MS: env.positiveInt(30_000),
  ...fetchWindowEnv,
});

export interface ShareRouterConfig {
  readonly brokers: string[];
  readonly registryUrl: string;
  readonly port: number;
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly fetch: FetchWindow;
  readonly transactionalId: string;
  readonly masterTopic: string;
  readonly shareTopics: Readonly<Record<Sector, string>>;
  readonly deadLetterTopic: string;
  readonly followsTopic: string;
  /**
   * The follow-list consumer's own group (per instance: every instance needs every follow)
   * and the group whose offsets say up to where the follows were filled.
   */
  readonly followsGroupId: string;
  readonly filledGroupId: string;
  readonly fill: {
    readonly nationalApiUrl: string;
    readonly tokenUrl: string;
    readonly clientId: string;
    readonly clientSecret?: string;
  };
}

export function loadShareRouterConfig(
  source: Record<string, string | undefined> = process.env,
): ShareRouterConfig {
  const c = loadConfig('share-router', schema, source);
  const prefixed = (topic: string) => `${c.SHARE_TOPIC_PREFIX}${topic}`;
  return {
    brokers: c.KAFKA_BROKERS,
    registryUrl: c.SCHEMA_REGISTRY_URL,
    port: c.PORT,
    groupId: c.SHARE_ROUTER_GROUP,
    sessionTimeoutMs: c.SHARE_ROUTER_SESSION_TIMEOUT_MS,
    fetch: fetchWindowOf(c),
    transactionalId: `${c.SHARE_ROUTER_GROUP}.${c.SHARE_ROUTER_INSTANCE}`,
    masterTopic: c.MASTER_TOPIC,
    shareTopics: {
      bhyt: prefixed(SHARE_TOPICS.bhyt),
      land: prefixed(SHARE_TOPICS.land),
      tax: prefixed(SHARE_TOPICS.tax),
      tthc: prefixed(SHARE_TOPICS.tthc),
    },
    deadLetterTopic: `${c.SHARE_ROUTER_GROUP}.dlt`,
    followsTopic: c.FOLLOWS_TOPIC,
    followsGroupId: `${c.SHARE_ROUTER_GROUP}.${c.SHARE_ROUTER_INSTANCE}.follows`,
    filledGroupId: `${c.SHARE_ROUTER_GROUP}.${c.SHARE_ROUTER_INSTANCE}.follows-filled`,
    fill: {
      nationalApiUrl: c.NATIONAL_API_URL.replace(/\/+$/, ''),
      tokenUrl: `${c.OIDC_ISSUER.replace(/\/+$/, '')}/protocol/openid-connect/token`,
      clientId: c.SHARE_ROUTER_CLIENT_ID,
      ...(c.SHARE_ROUTER_CLIENT_SECRET ? { clientSecret: c.SHARE_ROUTER_CLIENT_SECRET } : {}),
    },
  };
}
