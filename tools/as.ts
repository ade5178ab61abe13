import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { NODE_APPS } from './lib/node-apps.ts';
import { KAFKA_CA_FILE, kafkaClientEnv } from './lib/kafka-security.ts';
import { registryClientEnv, type RegistryRole } from './lib/registry-users.ts';
import { serviceDatabaseUrl } from './lib/postgres-roles.ts';
import { DATABASE_URL, REGISTRY_PORT } from './lib/stack-settings.ts';
import { bootstrapBrokers } from './lib/kafka-nodes.ts';

/**
 * `node tools/as.ts <identity> <command…>`: runs a command of the bus (the ops CLI, the
 * simulator, contracts:check) as one of the local stack's identities, so that npm scripts
 * need no manual step. Only variables the caller did not set are filled in, and only when
 * the local stack's credentials exist: an explicit environment (production, CI) wins.
 */
const CLI_IDENTITIES: Record<string, { kafkaPrincipal?: string; registryRole?: RegistryRole }> = {
  // contracts:check --registry tests compatibility, which Confluent counts as a writer's
  // operation; it registers nothing.
  contracts: { registryRole: 'writer' },
  // kafka:acls manages the ACLs: the stack's admin principal (a super user).
  admin: { kafkaPrincipal: 'admin', registryRole: 'admin' },
};

const [identity, command, ...args] = process.argv.slice(2);
if (!identity || !command) {
  console.error('usage: node tools/as.ts <app name | contracts> <command> [args…]');
  process.exit(2);
}
const app = NODE_APPS.find((a) => a.name === identity);
const role = app?.registryRole ?? CLI_IDENTITIES[identity]?.registryRole;
const principal = app?.kafkaPrincipal ?? CLI_IDENTITIES[identity]?.kafkaPrincipal;
const local = existsSync(KAFKA_CA_FILE);
const wanted: Record<string, string | undefined> = local
  ? {
      KAFKA_BROKERS: bootstrapBrokers().join(','),
      SCHEMA_REGISTRY_URL: `http://127.0.0.1:${REGISTRY_PORT}`,
      ...(principal ? kafkaClientEnv(principal) : {}),
      ...(role ? registryClientEnv(role) : {}),
      ...(app ? { DATABASE_URL: serviceDatabaseUrl(DATABASE_URL, app.name) } : {}),
    }
  : {};
const env = { ...process.env };
// A caller's own identity is kept whole: no mixing its username with our password file.
const callerHasKafka = env.KAFKA_SASL_USERNAME !== undefined;
const callerHasRegistry =
  env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO !== undefined ||
  env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE !== undefined;
for (const [name, value] of Object.entries(wanted)) {
  if (value === undefined || env[name] !== undefined) continue;
  if (name.startsWith('KAFKA_S') && callerHasKafka) continue;
  if (name.startsWith('SCHEMA_REGISTRY_BASIC') && callerHasRegistry) continue;
  env[name] = value;
}
const result = spawnSync(command, args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
