import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testStack, uniqueName } from '@bus/testing';
import { citizenSchema, RegistryHttp } from './registry-http';

/** A role's `<user>:<password>`, as the stack generated it. */
function user(role: 'reader' | 'writer' | 'admin') {
  const dir = testStack().registryUsersDir;
  if (!dir) throw new Error('this suite needs the registry users of npm run stack:up');
  const [username, password] = readFileSync(join(dir, role), 'utf8').trim().split(/:(.*)/s) as [
    string,
    string,
  ];
  return { username, password };
}

const as = (role: 'reader' | 'writer' | 'admin' | null) =>
  new RegistryHttp(testStack().schemaRegistryUrl, role ? user(role) : null);

describe('registry conformance: HTTP Basic authentication and roles (Confluent error shape)', () => {
  it('401 without credentials or with a wrong password; 403 for a reader registering and a writer deleting; admin works', async () => {
    const subject = `${uniqueName('auth')}-value`;
    const path = `/subjects/${encodeURIComponent(subject)}`;

    const anonymous = await as(null).request('GET', '/subjects');
    expect([anonymous.status, anonymous.body]).toEqual([
      401,
      { error_code: 401, message: 'Unauthorized' },
    ]);
    const wrong = await new RegistryHttp(testStack().schemaRegistryUrl, {
      username: 'reader',
      password: 'not-the-password',
    }).request('GET', '/subjects');
    expect(wrong.status).toBe(401);

    expect((await as('reader').request('GET', '/subjects')).status).toBe(200);
    const readerRegisters = await as('reader').register(subject, citizenSchema('auth'));
    expect([readerRegisters.status, readerRegisters.body]).toEqual([
      403,
      {
        error_code: 40301,
        message: `User reader is denied operation Write on ${path}/versions`,
      },
    ]);

    const registered = await as('writer').register(subject, citizenSchema('auth'));
    expect(registered.status).toBe(200);
    const writerDeletes = await as('writer').request('DELETE', path);
    expect([writerDeletes.status, writerDeletes.body]).toEqual([
      403,
      { error_code: 40301, message: `User writer is denied operation Delete on ${path}` },
    ]);
    const writerSetsLevel = await as('writer').request('PUT', '/config', {
      compatibility: 'NONE',
    });
    expect(writerSetsLevel.status).toBe(403);

    const deleted = await as('admin').request('DELETE', path);
    expect([deleted.status, deleted.body]).toEqual([200, [1]]);
    expect((await as('admin').request('DELETE', `${path}?permanent=true`)).status).toBe(200);
  });

  it('/health stays open for probes', async () => {
    expect((await as(null).request('GET', '/health')).status).toBe(200);
  });
});
