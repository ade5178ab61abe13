import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@bus/platform';
import { RegistryUsers } from './registry-users';

// The format tools/lib/registry-users.ts writes (Node's scrypt defaults, lower N for speed).
function hash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  return `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

function usersFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'registry-users-')), 'users.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('RegistryUsers', () => {
  it('verifies a password against its scrypt hash and gives the role', async () => {
    const users = RegistryUsers.fromFile(
      usersFile({ users: { writer: { role: 'writer', hash: hash('right') } } }),
    );
    expect(await users.verify('writer', 'right')).toBe('writer');
    expect(await users.verify('writer', 'right')).toBe('writer');
    expect(await users.verify('writer', 'wrong')).toBeUndefined();
    expect(await users.verify('nobody', 'right')).toBeUndefined();
  });

  it('refuses a file with a plain-text password or an unknown role', () => {
    expect(() =>
      RegistryUsers.fromFile(usersFile({ users: { a: { role: 'reader', hash: 'secret' } } })),
    ).toThrow(ConfigError);
    expect(() =>
      RegistryUsers.fromFile(usersFile({ users: { a: { role: 'root', hash: hash('x') } } })),
    ).toThrow(/needs a role and a scrypt hash/);
  });
});
