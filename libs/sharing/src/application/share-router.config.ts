import { z } from 'zod';
import { DEFAULT_SCHEMA_REGISTRY_URL, env, loadConfig } from '@bus/platform';
import { MASTER_TOPIC, SHARE_ROUTER_GROUP, SHARE_TOPICS, type Sector } from '@bus/contracts';

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
});

export interface ShareRouterConfig {
  readonly brokers: string[];
  readonly registryUrl: string;
  readonly port: number;
  readonly groupId: string;
  readonly transactionalId: string;
  readonly masterTopic: string;
  readonly shareTopics: Readonly<Record<Sector, string>>;
  readonly deadLetterTopic: string;
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
    transactionalId: `${c.SHARE_ROUTER_GROUP}.${c.SHARE_ROUTER_INSTANCE}`,
    masterTopic: c.MASTER_TOPIC,
    shareTopics: {
      bhyt: prefixed(SHARE_TOPICS.bhyt),
      land: prefixed(SHARE_TOPICS.land),
      tax: prefixed(SHARE_TOPICS.tax),
      tthc: prefixed(SHARE_TOPICS.tthc),
    },
    deadLetterTopic: `${c.SHARE_ROUTER_GROUP}.dlt`,
  };
}
