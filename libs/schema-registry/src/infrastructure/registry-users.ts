import { createHash, scrypt, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '@bus/platform';
import { REGISTRY_ROLES, type RegistryRole } from '../domain/registry-access';

/**
 * The registry's users file (`SCHEMA_REGISTRY_USERS_FILE`): `{"users": {"<name>": {"role":
 * "reader|writer|admin", "hash": "scrypt$<N>$<r>$<p>$<salt>$<key>"}}}` (salt and key in
 * base64). Only hashes: a copy of the file gives nobody a password. `npm run stack:up`
 * writes it with freshly generated passwords.
 */
interface StoredUser {
  readonly role: RegistryRole;
  readonly hash: string;
}

function scryptAsync(
  password: string,
  salt: Buffer,
  length: number,
  n: number,
  r: number,
  p: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, { N: n, r, p, maxmem: 256 * n * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export class RegistryUsers {
  /** Verified credentials (by digest), so that scrypt's deliberate cost is paid once per user. */
  private readonly verified = new Map<string, RegistryRole>();

  private constructor(private readonly users: ReadonlyMap<string, StoredUser>) {}

  static fromFile(file: string): RegistryUsers {
    let parsed: { users?: Record<string, StoredUser> };
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
    } catch (error) {
      throw new ConfigError(
        `SCHEMA_REGISTRY_USERS_FILE cannot be read as JSON (${(error as NodeJS.ErrnoException).code ?? 'invalid'})`,
      );
    }
    const users = new Map(Object.entries(parsed.users ?? {}));
    for (const [name, user] of users) {
      if (
        !REGISTRY_ROLES.includes(user.role) ||
        !/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/.test(user.hash)
      )
        throw new ConfigError(
          `SCHEMA_REGISTRY_USERS_FILE: user ${name} needs a role and a scrypt hash`,
        );
    }
    return new RegistryUsers(users);
  }

  /** The user's role when the password verifies, else undefined. */
  async verify(name: string, password: string): Promise<RegistryRole | undefined> {
    const digest = createHash('sha256').update(`${name}\0${password}`).digest('base64');
    const known = this.verified.get(digest);
    if (known) return known;
    const user = this.users.get(name);
    if (!user) return undefined;
    const [, n, r, p, salt, key] = user.hash.split('$') as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const expected = Buffer.from(key, 'base64');
    const actual = await scryptAsync(
      password,
      Buffer.from(salt, 'base64'),
      expected.length,
      Number(n),
      Number(r),
      Number(p),
    );
    if (!timingSafeEqual(actual, expected)) return undefined;
    this.verified.set(digest, user.role);
    return user.role;
  }
}
