import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '@bus/platform';
import { bearer, userToken } from '@bus/testing';
import { type PopulationApi, startPopulationApi } from '../test/population-api';

let api: PopulationApi;
let admin: Record<string, string>;
let pool: Pool;

const birth = (child: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  child: { fullName: 'Đặng Thị Thu', gender: 'FEMALE', dateOfBirth: '1995-04-30', ...child },
  registrationCommuneCode: '00070',
  permanentResidence: { communeCode: '00070', address: '3 Tràng Tiền' },
  ...extra,
});

/** As the registrar (administrator): the rights themselves are tested in http-auth.int-spec. */
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api.call(method, path, body, { ...admin, ...headers });

async function counts() {
  const { rows } = await pool.query<{ citizens: number; outbox: number }>(
    'SELECT (SELECT count(*)::int FROM citizens) AS citizens, (SELECT count(*)::int FROM outbox) AS outbox',
  );
  return rows[0]!;
}

const fieldCodes = (body: { error: { fields?: { path: string; code?: string }[] } }) =>
  (body.error.fields ?? []).map((f) => `${f.path}:${f.code}`);

describe('national-population HTTP API', () => {
  beforeAll(async () => {
    api = await startPopulationApi('population_http');
    pool = api.pool;
    admin = bearer(await userToken('registrar-admin'));
  });

  afterAll(async () => {
    await api?.close();
  });

  it('registers, reads, and answers 404 / 409 / replays by Idempotency-Key', async () => {
    const created = await call('POST', '/citizens/births', birth(), { 'idempotency-key': 'k-1' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const again = await call('POST', '/citizens/births', birth(), { 'idempotency-key': 'k-1' });
    expect(again.body.personalId).toBe(created.body.personalId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const id = created.body.personalId as string;
    expect((await call('GET', `/citizens/${id}`)).body).toMatchObject({
      fullName: 'Đặng Thị Thu',
      version: 1,
    });
    const renamed = await call(
      'POST',
      `/citizens/${id}/name`,
      { fullName: 'Đặng Thị Thu Hà' },
      { 'if-match': '"1"' },
    );
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get('etag')).toBe('"2"');
    expect(renamed.body).toMatchObject({ personalId: id, version: 2 });
    const stale = await call(
      'POST',
      `/citizens/${id}/name`,
      { fullName: 'Đặng Thu' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    await call('POST', `/citizens/${id}/death`, { dateOfDeath: '2024-01-01' });
    const twice = await call('POST', `/citizens/${id}/death`, { dateOfDeath: '2024-01-02' });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'CITIZEN_DECEASED']);
    expect((await call('GET', '/citizens/001195000000')).status).toBe(404);
    expect((await call('GET', `/citizens/${id}/history`)).body).toHaveLength(3);
    expect(await counts()).toEqual({ citizens: 1, outbox: 3 });
  });

  it('answers 400 with field errors for invalid input, writing nothing', async () => {
    const before = await counts();
    const existing = (await call('POST', '/citizens/births', birth({ dateOfBirth: '1990-01-01' })))
      .body.personalId;
    const baseline = await counts();
    expect(baseline.outbox).toBe(before.outbox + 1);
    const cases: [string, Awaited<ReturnType<typeof call>>, string][] = [
      [
        'wrong century digit',
        await call('POST', '/citizens/initial-load', {
          records: [
            {
              personalId: '001290123456',
              fullName: 'Ngô Văn Tư',
              gender: 'MALE',
              dateOfBirth: '1990-02-03',
              birthRegistrationCommuneCode: '00070',
            },
          ],
        }),
        'records.0.personalId:ID_CENTURY_MISMATCH',
      ],
      [
        'unknown commune',
        await call('POST', '/citizens/births', birth({}, { registrationCommuneCode: '99999' })),
        'registrationCommuneCode:COMMUNE_UNKNOWN',
      ],
      [
        'death before birth',
        await call('POST', `/citizens/${existing}/death`, { dateOfDeath: '1989-12-31' }),
        'dateOfDeath:INVALID_DATE',
      ],
      [
        'birth in the future',
        await call('POST', '/citizens/births', birth({ dateOfBirth: '2999-01-01' })),
        'child.dateOfBirth:DATE_IN_FUTURE',
      ],
      [
        'empty name',
        await call('POST', '/citizens/births', birth({ fullName: '   ' })),
        'child.fullName:NAME_EMPTY',
      ],
      [
        'control characters',
        await call('POST', '/citizens/births', birth({ fullName: 'Lý\u0000Văn\u0007' })),
        'child.fullName:NAME_CONTROL_CHARACTER',
      ],
      [
        'SQL in a name',
        await call(
          'POST',
          '/citizens/births',
          birth({ fullName: "Robert'); DROP TABLE citizens;--" }),
        ),
        'child.fullName:NAME_INVALID_CHARACTER',
      ],
      [
        'SQL in an ID',
        await call('GET', `/citizens/${encodeURIComponent("001' OR '1'='1")}`),
        'personalId:ID_FORMAT',
      ],
      [
        'malformed JSON',
        await call('POST', '/citizens/births', '{"child": '),
        '(body):BODY_INVALID',
      ],
    ];
    for (const [name, response, expected] of cases) {
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expect({ name, fields: fieldCodes(response.body) }).toEqual({
        name,
        fields: expect.arrayContaining([expected]),
      });
    }
    const huge = await call('POST', '/citizens/births', birth({ fullName: 'A'.repeat(100_000) }));
    expect([huge.status, huge.body.error.code]).toEqual([413, 'BODY_TOO_LARGE']);
    expect(await counts()).toEqual(baseline);
  });

  it('stores SQL-looking free text verbatim and harmlessly where the format allows it', async () => {
    const address = '1\'; DROP TABLE citizens; -- "Bobby" OR 1=1';
    const created = await call(
      'POST',
      '/citizens/births',
      birth({}, { permanentResidence: { communeCode: '00070', address } }),
    );
    expect(created.status).toBe(201);
    const read = await call('GET', `/citizens/${created.body.personalId}`);
    expect(read.body.permanentResidence?.address).toBe(address);
    expect((await counts()).citizens).toBeGreaterThan(0);
  });

  it('serves OpenAPI, health and metrics', async () => {
    const docs = await call('GET', '/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/citizens/births', '/citizens/{id}/marital-status']),
    );
    expect((await call('GET', '/health')).status).toBe(404); // not on the API port
    const health = await api.call('GET', `${api.management}/health`);
    expect(health.status).toBe(200);
    expect(health.body.outbox).toMatchObject({
      pending: expect.any(Number),
      publishRatePerSecond: 0,
    });
    const metrics = await api.call('GET', `${api.management}/metrics`);
    expect(metrics.body).toContain('population_outbox_pending_rows');
    expect(metrics.body).toContain('population_outbox_oldest_pending_age_seconds');
  });
});
