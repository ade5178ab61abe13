import { beforeAll, describe, expect, it } from 'vitest';
import { testStack, uniqueName } from '@bus/testing';
import { citizenSchema, CONFLUENT_CONTENT_TYPE, RegistryHttp } from './registry-http';

/*
 * Conformance of the Confluent REST API for Avro, driven over plain HTTP against
 * the registry named by the test stack (SCHEMA_REGISTRY_URL when set). Every test
 * uses its own subjects: the registry is shared with everyone else's tests.
 */
let registry: RegistryHttp;
beforeAll(() => {
  registry = new RegistryHttp(testStack().schemaRegistryUrl);
});

const subject = () => `${uniqueName('sr')}-value`;
const withField = (tag: string, name: string, extra: Record<string, unknown> = {}) =>
  citizenSchema(tag, [{ name, type: 'string', default: '', ...extra }]);

describe('registering and reading schemas', () => {
  it('registers a schema, returns its id, and serves it by id, subject and version', async () => {
    const s = subject();
    const schema = citizenSchema(s);
    const registered = await registry.register(s, schema);
    expect(registered.status).toBe(200);
    expect(registered.contentType).toContain(CONFLUENT_CONTENT_TYPE);
    expect(registered.body.id).toEqual(expect.any(Number));
    const { id } = registered.body;

    const byId = await registry.request<{ schema: string }>('GET', `/schemas/ids/${id}`);
    expect(byId.status).toBe(200);
    expect(JSON.parse(byId.body.schema)).toMatchObject({ name: 'CitizenChanged', type: 'record' });

    expect((await registry.versions(s)).body).toEqual([1]);
    const latest = await registry.version(s, 'latest');
    expect(latest.body).toMatchObject({ subject: s, version: 1, id });
    expect((await registry.version(s, 1)).body).toEqual(latest.body);
    const raw = await registry.request('GET', `/subjects/${s}/versions/1/schema`);
    expect(raw.body).toMatchObject({ name: 'CitizenChanged', type: 'record' });

    const subjects = await registry.request<string[]>('GET', '/subjects');
    expect(subjects.body).toContain(s);
    const types = await registry.request<string[]>('GET', '/schemas/types');
    expect(types.body).toContain('AVRO');
  });

  it('returns the same id and adds no version when an identical schema is registered again', async () => {
    const s = subject();
    const schema = citizenSchema(s);
    const first = await registry.register(s, schema);
    // Same schema, other whitespace and key order: the same Avro schema.
    const reordered = await registry.request<{ id: number }>('POST', `/subjects/${s}/versions`, {
      schema: JSON.stringify(Object.fromEntries(Object.entries(schema).reverse()), null, 2),
    });
    const again = await registry.register(s, schema);
    expect(again.body.id).toBe(first.body.id);
    expect(reordered.body.id).toBe(first.body.id);
    expect((await registry.versions(s)).body).toEqual([1]);
  });

  it('gives the same schema the same global id under another subject', async () => {
    const a = subject();
    const b = subject();
    const schema = citizenSchema(a);
    const first = await registry.register(a, schema);
    const second = await registry.register(b, schema);
    expect(second.body.id).toBe(first.body.id);
    const subjects = await registry.request<string[]>(
      'GET',
      `/schemas/ids/${first.body.id}/subjects`,
    );
    expect(subjects.body).toEqual(expect.arrayContaining([a, b]));
  });

  it('gives a new schema a new, larger id', async () => {
    const s = subject();
    const first = await registry.register(s, citizenSchema(s));
    const second = await registry.register(s, withField(s, 'province'));
    expect(second.status).toBe(200);
    expect(second.body.id).toBeGreaterThan(first.body.id);
    expect((await registry.versions(s)).body).toEqual([1, 2]);
  });

  it('looks a schema up in a subject', async () => {
    const s = subject();
    const schema = citizenSchema(s);
    const { body } = await registry.register(s, schema);
    const found = await registry.lookup(s, schema);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ subject: s, version: 1, id: body.id });
    const missing = await registry.lookup(s, withField(s, 'other'));
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe(40403);
    const noSubject = await registry.lookup(subject(), schema);
    expect(noSubject.status).toBe(404);
    expect(noSubject.body.error_code).toBe(40401);
  });

  it('accepts plain application/json requests', async () => {
    const s = subject();
    const answer = await registry.request<{ id: number }>(
      'POST',
      `/subjects/${s}/versions`,
      { schema: JSON.stringify(citizenSchema(s)) },
      { contentType: 'application/json' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.id).toEqual(expect.any(Number));
  });
});

describe('compatibility configuration', () => {
  it('reads the global level and refuses an unknown one without changing it', async () => {
    const global = await registry.request<{ compatibilityLevel: string }>('GET', '/config');
    expect(global.status).toBe(200);
    const level = global.body.compatibilityLevel;
    expect(level).toMatch(/^(NONE|BACKWARD|FORWARD|FULL)(_TRANSITIVE)?$/);
    // Writing back the current value keeps the shared registry as everyone else expects it.
    const put = await registry.request('PUT', '/config', { compatibility: level });
    expect(put).toMatchObject({ status: 200, body: { compatibility: level } });
    const bad = await registry.request('PUT', '/config', { compatibility: 'SIDEWAYS' });
    expect(bad).toMatchObject({ status: 422, body: { error_code: 42203 } });
    expect((await registry.request('GET', '/config')).body).toEqual({ compatibilityLevel: level });
  });

  it('sets, reads and deletes a subject level; without one the subject uses the global level', async () => {
    const s = subject();
    await registry.register(s, citizenSchema(s));
    const none = await registry.request('GET', `/config/${s}`);
    expect(none.status).toBe(404);
    const fallback = await registry.request<{ compatibilityLevel: string }>(
      'GET',
      `/config/${s}?defaultToGlobal=true`,
    );
    const global = await registry.request<{ compatibilityLevel: string }>('GET', '/config');
    expect(fallback.body.compatibilityLevel).toBe(global.body.compatibilityLevel);

    expect((await registry.setLevel(s, 'FULL_TRANSITIVE')).body).toEqual({
      compatibility: 'FULL_TRANSITIVE',
    });
    expect((await registry.request('GET', `/config/${s}`)).body).toEqual({
      compatibilityLevel: 'FULL_TRANSITIVE',
    });
    const deleted = await registry.request('DELETE', `/config/${s}`);
    expect(deleted).toMatchObject({ status: 200, body: { compatibilityLevel: 'FULL_TRANSITIVE' } });
    expect((await registry.request('GET', `/config/${s}`)).status).toBe(404);
  });

  it('rejects an unknown subject level with 42203 and keeps the old one', async () => {
    const s = subject();
    await registry.setLevel(s, 'FORWARD');
    const bad = await registry.setLevel(s, 'BACKWARDS');
    expect(bad.status).toBe(422);
    expect(bad.body.error_code).toBe(42203);
    expect((await registry.request('GET', `/config/${s}`)).body).toEqual({
      compatibilityLevel: 'FORWARD',
    });
  });
});

describe('deleting', () => {
  it('soft-deletes versions and subjects, and deletes permanently only after a soft delete', async () => {
    const s = subject();
    const v1 = citizenSchema(s);
    const first = await registry.register(s, v1);
    await registry.register(s, withField(s, 'province'));

    const early = await registry.deleteSubject(s, true);
    expect(early).toMatchObject({ status: 404, body: { error_code: 40405 } });

    const version = await registry.request('DELETE', `/subjects/${s}/versions/1`);
    expect(version).toMatchObject({ status: 200, body: 1 });
    expect((await registry.versions(s)).body).toEqual([2]);
    expect((await registry.versions(s, '?deleted=true')).body).toEqual([1, 2]);
    expect((await registry.version(s, 1)).body.error_code).toBe(40402);
    const twice = await registry.request<{ error_code: number }>(
      'DELETE',
      `/subjects/${s}/versions/1`,
    );
    expect(twice.status).toBe(404);

    const soft = await registry.deleteSubject(s);
    expect(soft).toMatchObject({ status: 200, body: [2] });
    expect((await registry.versions(s)).body.error_code).toBe(40401);
    expect((await registry.request<string[]>('GET', '/subjects')).body).not.toContain(s);
    expect((await registry.request<string[]>('GET', '/subjects?deleted=true')).body).toContain(s);
    const again = await registry.deleteSubject(s);
    expect(again).toMatchObject({ status: 404, body: { error_code: 40404 } });

    // Registering again revives the subject with the old id and the next version number.
    const revived = await registry.register(s, v1);
    expect(revived.body.id).toBe(first.body.id);
    expect((await registry.versions(s)).body).toEqual([3]);

    await registry.deleteSubject(s);
    const permanent = await registry.deleteSubject(s, true);
    expect(permanent.status).toBe(200);
    expect(permanent.body).toEqual(expect.arrayContaining([3]));
    expect((await registry.versions(s, '?deleted=true')).body.error_code).toBe(40401);
    expect((await registry.request('GET', `/schemas/ids/${first.body.id}`)).status).toBeLessThan(
      500,
    );
  });

  it('answers 40401 when deleting a subject that never existed', async () => {
    const answer = await registry.deleteSubject(subject());
    expect(answer).toMatchObject({ status: 404, body: { error_code: 40401 } });
  });
});
