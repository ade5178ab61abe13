import { randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_DIR } from './paths.ts';
import { policySectors, writePrivate } from './stack-secrets.ts';
import { StackError } from './stack-error.ts';

/**
 * The schema registry's users, one per role (reader, writer, admin): passwords generated at
 * the first stack:up into .stack/registry/users/<role> as `<user>:<password>` (Confluent's
 * basic.auth.user.info, 0600), and the registry's users file holding only scrypt hashes.
 */
const REGISTRY_STATE = join(STATE_DIR, 'registry');
export const REGISTRY_USERS_FILE = join(REGISTRY_STATE, 'users.json');
export const REGISTRY_ROLES = ['reader', 'writer', 'admin'] as const;
export type RegistryRole = (typeof REGISTRY_ROLES)[number];

export const registryUserInfoFile = (role: RegistryRole): string =>
  join(REGISTRY_STATE, 'users', role);

// Node's defaults (N=2^14, r=8, p=1): ~50 ms per check, paid once per user by the registry.
const N = 16_384;
const R = 8;
const P = 1;

export function scryptHash(password: string, salt = randomBytes(16)): string {
  const key = scryptSync(password, salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Generates the passwords once and (re)writes the hashes the registry reads. */
export function ensureRegistryUsers(): void {
  mkdirSync(join(REGISTRY_STATE, 'users'), { recursive: true, mode: 0o700 });
  const users: Record<string, { role: RegistryRole; hash: string }> = {};
  for (const role of REGISTRY_ROLES) {
    const file = registryUserInfoFile(role);
    if (!existsSync(file)) writePrivate(file, `${role}:${randomBytes(24).toString('base64url')}\n`);
    const [user, password] = readFileSync(file, 'utf8').trim().split(/:(.*)/s) as [string, string];
    users[user] = { role, hash: scryptHash(password) };
  }
  writePrivate(REGISTRY_USERS_FILE, `${JSON.stringify({ users }, null, 2)}\n`);
}

/** What a registry client of the local stack sets to act with `role`. */
export function registryClientEnv(role: RegistryRole): Record<string, string> {
  return { SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE: registryUserInfoFile(role) };
}

/**
 * The shared topics' subjects are pinned to FULL_TRANSITIVE by the admin here, so that the
 * relay and the router (writers) register under it without the right to change a level.
 * Names as in docs/conventions.md; a spec checks them against @bus/contracts.
 */
export function busSubjects(): string[] {
  const topics = [
    'population.citizen-changed',
    ...policySectors().map((sector) => `share.${sector}.citizen-changed`),
  ];
  return topics.flatMap((topic) => [`${topic}-value`, `${topic}-key`]);
}

export async function pinBusSubjects(registryUrl: string): Promise<void> {
  const info = readFileSync(registryUserInfoFile('admin'), 'utf8').trim();
  for (const subject of busSubjects()) {
    const response = await fetch(`${registryUrl}/config/${encodeURIComponent(subject)}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/vnd.schemaregistry.v1+json',
        authorization: `Basic ${Buffer.from(info).toString('base64')}`,
      },
      body: JSON.stringify({ compatibility: 'FULL_TRANSITIVE' }),
    });
    if (!response.ok)
      throw new StackError(`the registry refused to pin ${subject}: ${response.status}`);
  }
}
