import { beforeAll, describe, expect, it } from 'vitest';
import { testStack, uniqueName } from '@bus/testing';
import { citizenSchema, RegistryHttp, type ErrorBody, type HttpAnswer } from './registry-http';

/*
 * Every Confluent error code a client can provoke, and the bad-input list of the
 * issue: each gets a clear 4xx in Confluent's {error_code, message} shape and
 * stores nothing. (50001, a store failure, needs a broken database: see
 * apps/schema-registry/test/registry-processes.int-spec.ts.)
 */
let registry: RegistryHttp;
beforeAll(() => {
  registry = new RegistryHttp(testStack().schemaRegistryUrl);
});

const subject = () => `${uniqueName('sr_err')}-value`;

function expectError(answer: HttpAnswer, status: number, errorCode: number): void {
  expect({ status: answer.status, code: (answer.body as ErrorBody).error_code }).toEqual({
    status,
    code: errorCode,
  });
  expect((answer.body as ErrorBody).message).toEqual(expect.any(String));
  expect((answer.body as ErrorBody).message.length).toBeGreaterThan(0);
}

async function expectNothingStored(s: string): Promise<void> {
  expectError(await registry.versions(s, '?deleted=true'), 404, 40401);
}

describe('Confluent error codes', () => {
  it('40401 subject not found', async () => {
    expectError(await registry.versions(subject()), 404, 40401);
    expectError(await registry.version(subject(), 'latest'), 404, 40401);
  });

  it('40402 version not found', async () => {
    const s = subject();
    await registry.register(s, citizenSchema(s));
    expectError(await registry.version(s, 2), 404, 40402);
    expectError(await registry.check(s, citizenSchema(s), '7'), 404, 40402);
  });

  it('40403 schema not found', async () => {
    expectError(await registry.request('GET', '/schemas/ids/2147483647'), 404, 40403);
    const s = subject();
    await registry.register(s, citizenSchema(s));
    expectError(await registry.lookup(s, citizenSchema(`${s}-other`)), 404, 40403);
  });

  it('40404 subject soft-deleted, 40405 not soft-deleted before a permanent delete', async () => {
    const s = subject();
    await registry.register(s, citizenSchema(s));
    expectError(await registry.deleteSubject(s, true), 404, 40405);
    expect((await registry.deleteSubject(s)).status).toBe(200);
    expectError(await registry.deleteSubject(s), 404, 40404);
    expect((await registry.deleteSubject(s, true)).status).toBe(200);
  });

  it('409 / 40901 incompatible schema, with the reasons', async () => {
    const s = subject();
    await registry.register(s, citizenSchema(s));
    const incompatible = citizenSchema(s, [{ name: 'province', type: 'string' }]);
    const answer = await registry.register(s, incompatible);
    expectError(answer, 409, 40901);
    expect(answer.body.message).toMatch(/province/);
    const verbose = await registry.check(s, incompatible);
    expect(verbose.body.is_compatible).toBe(false);
    expect(verbose.body.messages?.join(' ')).toMatch(/province/);
    expect((await registry.versions(s)).body).toEqual([1]);
  });

  it('42201 invalid schema', async () => {
    const s = subject();
    const answer = await registry.request('POST', `/subjects/${s}/versions`, {
      schema: '{"type":"record","name":"Broken","fields":[{"name":"a","type":"no_such_type"}]}',
    });
    expectError(answer, 422, 42201);
    await expectNothingStored(s);
  });

  it('42202 invalid version', async () => {
    const s = subject();
    await registry.register(s, citizenSchema(s));
    expectError(await registry.version(s, 'abc'), 422, 42202);
    expectError(await registry.version(s, 0), 422, 42202);
    expectError(await registry.request('DELETE', `/subjects/${s}/versions/x1`), 422, 42202);
  });

  it('42203 invalid compatibility level', async () => {
    expectError(await registry.setLevel(subject(), 'MOSTLY'), 422, 42203);
  });
});

describe('bad input gets a clear 4xx and stores nothing', () => {
  it('malformed JSON', async () => {
    const s = subject();
    const answer = await registry.request<ErrorBody>('POST', `/subjects/${s}/versions`, undefined, {
      raw: '{"schema": "{\\"type\\": \\"string\\"}"',
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.error_code).toEqual(expect.any(Number));
    await expectNothingStored(s);
  });

  it.each([
    ['JSON that is not a schema', '{"not":"avro"}'],
    ['a JSON number', '42'],
    ['a protobuf definition', 'syntax = "proto3"; message M { string a = 1; }'],
    ['a record without a name', '{"type":"record","fields":[]}'],
    [
      'a default of the wrong type',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}',
    ],
  ])('a schema that is not Avro: %s', async (_, text) => {
    const s = subject();
    expectError(
      await registry.request('POST', `/subjects/${s}/versions`, { schema: text }),
      422,
      42201,
    );
    await expectNothingStored(s);
  });

  it('a body in a content type that is not JSON', async () => {
    const s = subject();
    const answer = await registry.request('POST', `/subjects/${s}/versions`, undefined, {
      raw: 'schema="string"',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(415);
    await expectNothingStored(s);
  });

  it('a body without a schema', async () => {
    const s = subject();
    expectError(await registry.request('POST', `/subjects/${s}/versions`, {}), 422, 42201);
    await expectNothingStored(s);
  });

  it('a 10 MB body', async () => {
    const s = subject();
    const schema = JSON.stringify({
      type: 'record',
      name: 'Huge',
      doc: 'x'.repeat(10 * 1024 * 1024),
      fields: [{ name: 'a', type: 'string' }],
    });
    const answer = await registry.request<ErrorBody>('POST', `/subjects/${s}/versions`, { schema });
    expect([413, 422]).toContain(answer.status);
    expect(answer.body.error_code).toEqual(expect.any(Number));
    expect(answer.body.message).toEqual(expect.any(String));
    await expectNothingStored(s);
  });

  it('an unknown compatibility level', async () => {
    const s = subject();
    await registry.register(s, citizenSchema(s));
    expectError(await registry.setLevel(s, 'UPWARD'), 422, 42203);
    expectError(await registry.request('PUT', `/config/${s}`, {}), 422, 42203);
    expect((await registry.request('GET', `/config/${s}`)).status).toBe(404);
  });

  it('a non-numeric version', async () => {
    const s = subject();
    await registry.register(s, citizenSchema(s));
    expectError(await registry.version(s, 'one'), 422, 42202);
    expectError(await registry.check(s, citizenSchema(s), 'one'), 422, 42202);
  });

  it('an id that does not exist', async () => {
    expectError(await registry.request('GET', '/schemas/ids/2147483646'), 404, 40403);
    const nonNumeric = await registry.request('GET', '/schemas/ids/not-a-number');
    expect(nonNumeric.status).toBe(404);
  });
});
