import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onCleanup, uniqueName, waitFor } from '@bus/testing';
import { RegistryHttp } from '../../../libs/schema-registry/test/registry-http';

/*
 * The registry as processes: several instances on one database (the concurrency
 * acceptance), a store failure (50001), and the global level on a registry of
 * our own, which the shared registry cannot be used for. These tests start this
 * implementation, so unlike the conformance suite they do not run against
 * another vendor's registry.
 */
const ROOT = resolve(__dirname, '../../..');
const BUILD = join(ROOT, 'dist/.test-builds', uniqueName('schema_registry'));
const MAIN = join(BUILD, 'apps/schema-registry/src/main.js');

function run(bin: string, args: string[]): void {
  const result = spawnSync(join(ROOT, 'node_modules/.bin', bin), args, {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${bin} failed:\n${result.stdout}\n${result.stderr}`);
}

/** Fresh code, not whatever dist/ holds: compile the app alone into a throwaway folder. */
beforeAll(() => {
  const tsconfig = 'apps/schema-registry/tsconfig.app.json';
  run('tsc', ['-p', tsconfig, '--outDir', BUILD]);
  run('tsc-alias', ['-p', tsconfig, '--outDir', BUILD]);
  const migrations = join(ROOT, 'libs/schema-registry/src/infrastructure/migrations');
  const target = join(BUILD, 'libs/schema-registry/src/infrastructure/migrations');
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(migrations)) cpSync(join(migrations, file), join(target, file));
}, 120_000);

afterAll(() => rmSync(BUILD, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  await new Promise((ok) => server.close(ok));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface RunningRegistry {
  readonly http: RegistryHttp;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

async function startRegistry(databaseUrl: string): Promise<RunningRegistry> {
  if (!existsSync(MAIN)) throw new Error(`registry build missing at ${MAIN}`);
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      SCHEMA_REGISTRY_DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  onCleanup(stop);
  const http = new RegistryHttp(`http://127.0.0.1:${port}`);
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`registry exited:\n${output}`);
      return (await fetch(`${http.baseUrl}/health`)).ok;
    },
    { description: `registry on port ${port} to be healthy`, timeoutMs: 30_000, intervalMs: 100 },
  );
  return { http, child, stop };
}

const record = (name: string, fields: unknown[] = []) => ({
  type: 'record',
  name,
  namespace: 'vn.gov.population.test',
  fields: [{ name: 'personalId', type: 'string' }, ...fields],
});

describe('several registry processes on one database', () => {
  it('register the same new schema concurrently (2 processes x 20 requests) as one id and one version', async () => {
    const databaseUrl = await createTestDatabase('sr_race');
    const [a, b] = await Promise.all([startRegistry(databaseUrl), startRegistry(databaseUrl)]);
    const subject = 'population.citizen-changed-value';
    const schema = record('CitizenChanged');
    const answers = await Promise.all(
      [a, b].flatMap((instance) =>
        Array.from({ length: 20 }, () => instance.http.register(subject, schema)),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(200));
    const ids = new Set(answers.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect((await a.http.versions(subject)).body).toEqual([1]);
    expect((await b.http.versions(subject)).body).toEqual([1]);
  });

  it('give one schema one global id when it races into two subjects on two processes', async () => {
    const databaseUrl = await createTestDatabase('sr_race');
    const [a, b] = await Promise.all([startRegistry(databaseUrl), startRegistry(databaseUrl)]);
    const schema = record('Shared');
    const subjects = ['share.bhyt.citizen-changed-value', 'share.tax.citizen-changed-value'];
    const answers = await Promise.all(
      [a, b].flatMap((instance) =>
        Array.from({ length: 20 }, (_, i) => instance.http.register(subjects[i % 2]!, schema)),
      ),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    for (const subject of subjects) expect((await a.http.versions(subject)).body).toEqual([1]);
  });

  it('hand out increasing ids that are never reused, and keep them across restarts', async () => {
    const databaseUrl = await createTestDatabase('sr_ids');
    const first = await startRegistry(databaseUrl);
    const one = (await first.http.register('a-value', record('One'))).body.id;
    const two = (await first.http.register('b-value', record('Two'))).body.id;
    expect(two).toBeGreaterThan(one);
    await first.http.deleteSubject('b-value');
    await first.http.deleteSubject('b-value', true);
    await first.stop();

    const second = await startRegistry(databaseUrl);
    const three = (await second.http.register('c-value', record('Three'))).body.id;
    expect(three).toBeGreaterThan(two);
    const byId = await second.http.request<{ schema: string }>('GET', `/schemas/ids/${one}`);
    expect(JSON.parse(byId.body.schema)).toMatchObject({ name: 'One' });
  });
});

describe('a registry of its own', () => {
  it('answers 500 / 50001 when its store fails, and recovers', async () => {
    const databaseUrl = await createTestDatabase('sr_store');
    const registry = await startRegistry(databaseUrl);
    const { id } = (await registry.http.register('ok-value', record('Ok'))).body;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    onCleanup(() => admin.end());
    await admin.query('ALTER TABLE registry_schemas RENAME TO registry_schemas_away');
    const broken = await registry.http.request<{ error_code: number }>('GET', `/schemas/ids/${id}`);
    expect(broken.status).toBe(500);
    expect(broken.body.error_code).toBe(50001);
    const register = await registry.http.register('other-value', record('Other'));
    expect(register.body.error_code).toBe(50001);
    await admin.query('ALTER TABLE registry_schemas_away RENAME TO registry_schemas');
    expect((await registry.http.request('GET', `/schemas/ids/${id}`)).status).toBe(200);
    expect((await registry.http.versions('other-value')).body.error_code).toBe(40401);
  });

  it('applies the global level to subjects without their own, until a subject sets one', async () => {
    const registry = await startRegistry(await createTestDatabase('sr_global'));
    const v1 = record('Person', [{ name: 'province', type: 'string' }]);
    const v2 = record('Person');
    expect((await registry.http.request('GET', '/config')).body).toEqual({
      compatibilityLevel: 'BACKWARD',
    });
    expect(
      (await registry.http.request('PUT', '/config', { compatibility: 'FORWARD' })).body,
    ).toEqual({
      compatibility: 'FORWARD',
    });
    await registry.http.register('p-value', v1);
    // Dropping a field without a default: BACKWARD accepts, FORWARD refuses.
    expect((await registry.http.register('p-value', v2)).status).toBe(409);
    await registry.http.setLevel('p-value', 'BACKWARD');
    expect((await registry.http.register('p-value', v2)).status).toBe(200);

    await registry.http.register('q-value', v1);
    expect((await registry.http.register('q-value', v2)).status).toBe(409);
    const deleted = await registry.http.request('DELETE', '/config');
    expect(deleted.body).toEqual({ compatibilityLevel: 'FORWARD' });
    expect((await registry.http.request('GET', '/config')).body).toEqual({
      compatibilityLevel: 'BACKWARD',
    });
    expect((await registry.http.register('q-value', v2)).status).toBe(200);
  });
});
