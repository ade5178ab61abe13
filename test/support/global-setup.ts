import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { StackEndpoints } from './stack-endpoints';

const ROOT = resolve(__dirname, '../..');
const KAFKA_CLIENT_VARIABLES = [
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_SASL_PASSWORD_FILE',
  'KAFKA_SSL_CA_FILE',
  'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO',
  'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE',
] as const;

/** The identity the environment gives, else the local stack's admin principals. */
function clientEnv(): Record<string, string> | undefined {
  const given = Object.fromEntries(
    KAFKA_CLIENT_VARIABLES.filter((name) => process.env[name]).map((name) => [
      name,
      process.env[name] as string,
    ]),
  );
  if (Object.keys(given).length > 0) return given;
  const security = resolve(ROOT, '.stack/kafka/security');
  if (!existsSync(resolve(security, 'ca.pem'))) return undefined;
  return {
    KAFKA_SASL_USERNAME: 'admin',
    KAFKA_SASL_PASSWORD_FILE: resolve(security, 'users/admin'),
    KAFKA_SSL_CA_FILE: resolve(security, 'ca.pem'),
    SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE: resolve(ROOT, '.stack/registry/users/admin'),
  };
}

function fromEnvironment(): StackEndpoints | undefined {
  const { KAFKA_BROKERS, DATABASE_URL, SCHEMA_REGISTRY_URL, OIDC_ISSUER, OIDC_SECRETS_FILE } =
    process.env;
  if (!KAFKA_BROKERS || !DATABASE_URL || !SCHEMA_REGISTRY_URL) return undefined;
  return {
    kafkaBrokers: KAFKA_BROKERS.split(',').map((b) => b.trim()),
    databaseUrl: DATABASE_URL,
    schemaRegistryUrl: SCHEMA_REGISTRY_URL,
    ...(OIDC_ISSUER && OIDC_SECRETS_FILE
      ? { oidc: { issuer: OIDC_ISSUER, secretsFile: OIDC_SECRETS_FILE } }
      : {}),
    ...withClientEnv(),
    source: 'environment',
  };
}

function withClientEnv(): Pick<
  StackEndpoints,
  'clientEnv' | 'kafkaPasswordsDir' | 'registryUsersDir' | 'postgresRolesDir'
> {
  const env = clientEnv();
  if (!env) return {};
  // The stack keeps every principal's password file beside the admin's.
  const kafka = env.KAFKA_SASL_PASSWORD_FILE;
  const registry = env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE;
  const roles = resolve(ROOT, '.stack/postgres');
  return {
    clientEnv: env,
    ...(existsSync(roles) ? { postgresRolesDir: roles } : {}),
    ...(kafka ? { kafkaPasswordsDir: dirname(kafka) } : {}),
    ...(registry ? { registryUsersDir: dirname(registry) } : {}),
  };
}

function dockerAnswers(): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    timeout: 5_000,
    stdio: 'ignore',
  });
  return result.status === 0;
}

async function withTestcontainers(): Promise<{ stack: StackEndpoints; stop: () => Promise<void> }> {
  const { Network, GenericContainer, Wait } = await import('testcontainers');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const network = await new Network().start();
  const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.9.0')
    .withKraft()
    .withNetwork(network)
    .withNetworkAliases('kafka')
    .start();
  const postgres = await new PostgreSqlContainer('postgres:15-alpine')
    .withUsername('postgres')
    .withPassword('postgres')
    .start();
  const registry = await new GenericContainer('confluentinc/cp-schema-registry:7.9.0')
    .withNetwork(network)
    .withEnvironment({
      SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
      SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: 'PLAINTEXT://kafka:9092',
    })
    .withExposedPorts(8081)
    .withWaitStrategy(Wait.forHttp('/subjects', 8081))
    .start();
  const stack: StackEndpoints = {
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    databaseUrl: `postgres://postgres:postgres@${postgres.getHost()}:${postgres.getPort()}/postgres`,
    schemaRegistryUrl: `http://${registry.getHost()}:${registry.getMappedPort(8081)}`,
    source: 'testcontainers',
  };
  return {
    stack,
    stop: async () => {
      await registry.stop();
      await kafka.stop();
      await postgres.stop();
      await network.stop();
    },
  };
}

function withLocalStack(): StackEndpoints {
  const result = spawnSync(process.execPath, ['tools/stack.ts', 'up'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) {
    throw new Error('The local stack did not come up (npm run stack:up); see the lines above.');
  }
  return {
    kafkaBrokers: [`127.0.0.1:${process.env.STACK_KAFKA_PORT ?? '9092'}`],
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    schemaRegistryUrl: `http://127.0.0.1:${process.env.STACK_REGISTRY_PORT ?? '8081'}`,
    ...withClientEnv(),
    oidc: {
      issuer: 'http://127.0.0.1:8180/realms/citizen-bus',
      secretsFile: resolve(ROOT, '.stack/oidc-secrets.json'),
    },
    source: 'local-stack',
  };
}

/**
 * Integration tests run against a real stack: the one named by the environment,
 * else containers when a Docker engine answers, else the project's local stack.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const configured = fromEnvironment();
  if (configured) {
    project.provide('stack', configured);
    return;
  }
  if (dockerAnswers()) {
    const { stack, stop } = await withTestcontainers();
    project.provide('stack', stack);
    return stop;
  }
  project.provide('stack', withLocalStack());
}
