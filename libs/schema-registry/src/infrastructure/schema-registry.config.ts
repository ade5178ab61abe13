import { z } from 'zod';
import {
  busDatabaseName,
  databaseUrlFor,
  DEFAULT_DATABASE_URL,
  env,
  loadConfig,
} from '@bus/platform';

export const REGISTRY_DATABASE = 'bus_registry';

const schema = z.object({
  PORT: env.port(Number(process.env.STACK_REGISTRY_PORT ?? 8081)),
  DATABASE_URL: env.postgresUrl(DEFAULT_DATABASE_URL),
  SCHEMA_REGISTRY_DATABASE_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
      .optional(),
  ),
  /** Largest accepted request body. Confluent schemas are JSON text; a few MB is generous. */
  SCHEMA_REGISTRY_MAX_BODY_BYTES: env.positiveInt(2 * 1024 * 1024),
  SCHEMA_REGISTRY_DB_POOL_SIZE: env.positiveInt(10),
  /** Users, roles and scrypt hashes (HTTP Basic). Unset: every request is allowed (a warning says so). */
  SCHEMA_REGISTRY_USERS_FILE: z.string().min(1).optional(),
  LOG_LEVEL: env.logLevel,
});

export interface SchemaRegistryConfig {
  readonly port: number;
  readonly databaseUrl: string;
  readonly maxBodyBytes: number;
  readonly poolSize: number;
  readonly logLevel: string;
  readonly usersFile?: string;
}

export function loadSchemaRegistryConfig(
  source: Record<string, string | undefined> = process.env,
): SchemaRegistryConfig {
  const parsed = loadConfig('schema-registry', schema, source);
  return {
    port: parsed.PORT,
    databaseUrl: parsed.SCHEMA_REGISTRY_DATABASE_URL
      ? parsed.SCHEMA_REGISTRY_DATABASE_URL
      : databaseUrlFor(parsed.DATABASE_URL, busDatabaseName(REGISTRY_DATABASE)),
    maxBodyBytes: parsed.SCHEMA_REGISTRY_MAX_BODY_BYTES,
    poolSize: parsed.SCHEMA_REGISTRY_DB_POOL_SIZE,
    logLevel: parsed.LOG_LEVEL,
    ...(parsed.SCHEMA_REGISTRY_USERS_FILE ? { usersFile: parsed.SCHEMA_REGISTRY_USERS_FILE } : {}),
  };
}
