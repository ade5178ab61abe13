import { readFileSync } from 'node:fs';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { ConfigError } from '@bus/platform';

/**
 * The registry credentials of this process, Confluent's `basic.auth.user.info` as
 * `SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=<user>:<password>` or a file holding that line
 * (`SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE`). Read in this one place for every registry
 * client of the bus; never echoed in errors.
 */
export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

function registryEnvironment(): Record<string, string | undefined> {
  const { SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE } =
    process.env;
  return { SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE };
}

export function registryCredentialsFromEnv(
  env: Record<string, string | undefined> = registryEnvironment(),
): RegistryCredentials | undefined {
  const inline = env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO;
  const file = env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE;
  if (inline && file)
    throw new ConfigError(
      'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO and SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE are both set: keep one',
    );
  let info = inline;
  if (file) {
    try {
      info = readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(
        `SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
    }
  }
  if (!info) return undefined;
  const colon = info.indexOf(':');
  if (colon < 1)
    throw new ConfigError(
      `${file ? 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE' : 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO'} must be <user>:<password>`,
    );
  return { username: info.slice(0, colon), password: info.slice(colon + 1) };
}

/** The `Authorization` header for the credentials, or none. */
export function registryAuthHeaders(
  credentials = registryCredentialsFromEnv(),
): Record<string, string> {
  if (!credentials) return {};
  const token = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  return { authorization: `Basic ${token}` };
}

/** @kafkajs/confluent-schema-registry's client with this process's credentials. */
export function createRegistryClient(
  host: string,
  credentials = registryCredentialsFromEnv(),
): SchemaRegistry {
  const auth = credentials && { username: credentials.username, password: credentials.password };
  return new SchemaRegistry({ host, ...(auth ? { auth } : {}) });
}
