import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  CITIZEN_DEMO_PERSONAL_ID,
  clientToken,
  expiredUserToken,
  userToken,
  type TestUser,
} from '@bus/testing';
import { startPopulationApi, type PopulationApi } from '../test/population-api';

/**
 * Every route of the national-population API against real tokens from the stack's
 * provider: no token 401, expired 401, another API's token 401, a role without the
 * right 403, the right role 2xx. Each row brings its own citizens so rows stay independent.
 */
let http: PopulationApi;
const HANOI = '00070';
const HANOI_2 = '00082';
const HCMC = '26506';

const birth = (commune = HANOI, gender = 'FEMALE') => ({
  child: { fullName: 'Phạm Thị Lan', gender, dateOfBirth: '1990-03-04' },
  registrationCommuneCode: commune,
  permanentResidence: { communeCode: commune, address: '12 Hàng Bạc' },
});

async function citizen(commune = HANOI, gender = 'FEMALE'): Promise<string> {
  const created = await http.call('POST', '/citizens/births', birth(commune, gender), {
    ...bearer(await userToken('registrar-admin')),
  });
  expect(created.status).toBe(201);
  return created.body.personalId as string;
}

interface Row {
  readonly name: string;
  readonly method: string;
  /** Builds the path and body, creating the citizens the call needs. */
  readonly request: () => Promise<{ path: string; body?: unknown }>;
  readonly allowed: TestUser;
  readonly refused: TestUser;
  readonly success: number;
}

const ROUTES: Row[] = [
  {
    name: 'read a record',
    method: 'GET',
    request: async () => ({ path: `/citizens/${await citizen()}` }),
    allowed: 'officer-hanoi',
    refused: 'citizen-demo', // not their own record
    success: 200,
  },
  {
    name: 'read a history',
    method: 'GET',
    request: async () => ({ path: `/citizens/${await citizen()}/history` }),
    allowed: 'officer-hanoi',
    refused: 'citizen-demo', // not their own record
    success: 200,
  },
  {
    name: 'register a birth',
    method: 'POST',
    request: async () => ({ path: '/citizens/births', body: birth() }),
    allowed: 'officer-hanoi',
    refused: 'citizen-demo',
    success: 201,
  },
  {
    name: 'register a death',
    method: 'POST',
    request: async () => ({
      path: `/citizens/${await citizen()}/death`,
      body: { dateOfDeath: '2025-01-02' },
    }),
    allowed: 'officer-hanoi',
    refused: 'citizen-demo',
    success: 200,
  },
  {
    name: 'change a name',
    method: 'POST',
    request: async () => ({
      path: `/citizens/${await citizen()}/name`,
      body: { fullName: 'Phạm Lan' },
    }),
    allowed: 'officer-hanoi',
    refused: 'citizen-demo',
    success: 200,
  },
  {
    name: 'register a permanent residence',
    method: 'PUT',
    request: async () => ({
      path: `/citizens/${await citizen()}/permanent-residence`,
      body: { communeCode: HANOI_2, address: '4 Lý Thái Tổ', since: '2024-05-06' },
    }),
    allowed: 'officer-hanoi',
    refused: 'citizen-demo',
    success: 200,
  },
  {
    name: 'register a temporary residence',
    method: 'PUT',
    request: async () => ({
      path: `/citizens/${await citizen()}/temporary-residence`,
      body: { communeCode: HANOI_2, address: '9 Tràng Thi', since: '2024-05-06' },
    }),
    allowed: 'officer-hanoi',
    refused: 'citizen-demo',
    success: 200,
  },
  {
    name: 'issue an identity card',
    method: 'POST',
    request: async () => ({
      path: `/citizens/${await citizen()}/identity-card`,
      body: { issuedOn: '2024-05-06' },
    }),
    allowed: 'officer-hanoi',
    refused: 'citizen-demo',
    success: 201,
  },
  {
    name: 'record a marriage',
    method: 'POST',
    request: async () => ({
      path: `/citizens/${await citizen()}/marital-status`,
      body: { spouseId: await citizen(HANOI, 'MALE'), event: 'MARRIAGE', date: '2024-05-06' },
    }),
    allowed: 'officer-hanoi',
    refused: 'citizen-demo',
    success: 200,
  },
  {
    name: 'correct a record (administrators only)',
    method: 'POST',
    request: async () => ({
      path: `/citizens/${await citizen()}/corrections`,
      body: { corrections: { ethnicity: 'Tày' }, reason: 'typo at registration' },
    }),
    allowed: 'registrar-admin',
    refused: 'officer-hanoi',
    success: 200,
  },
  {
    name: 'reissue a personal ID (administrators only)',
    method: 'POST',
    request: async () => ({
      path: `/citizens/${await citizen()}/reissue`,
      body: { corrections: { gender: 'MALE' }, reason: 'gender re-determined' },
    }),
    allowed: 'registrar-admin',
    refused: 'officer-hanoi',
    success: 201,
  },
  {
    name: 'merge duplicates (administrators only)',
    method: 'POST',
    request: async () => ({
      path: '/citizens/merges',
      body: { survivorId: await citizen(), retiredId: await citizen(), reason: 'duplicate' },
    }),
    allowed: 'registrar-admin',
    refused: 'officer-hanoi',
    success: 200,
  },
  {
    // The share router's fills (its own client holds state-reader; the shared test provider
    // may predate that client, so the administrator stands in for it here).
    name: 'read the current state as an event (administrators and the share router only)',
    method: 'GET',
    request: async () => ({ path: `/citizens/${await citizen()}/state` }),
    allowed: 'registrar-admin',
    refused: 'officer-hanoi',
    success: 200,
  },
  {
    name: 'query the audit trail (data-protection officers only)',
    method: 'GET',
    request: async () => ({ path: `/audit?citizen=${await citizen()}` }),
    allowed: 'ops-dpo',
    refused: 'registrar-admin',
    success: 200,
  },
  {
    name: 'initial load (administrators only)',
    method: 'POST',
    request: async () => ({
      path: '/citizens/initial-load',
      body: {
        records: [
          {
            personalId: CITIZEN_DEMO_PERSONAL_ID,
            fullName: 'Trần Thị Demo',
            gender: 'FEMALE',
            dateOfBirth: '1995-06-07',
            birthRegistrationCommuneCode: HANOI,
          },
        ],
      },
    }),
    allowed: 'registrar-admin',
    refused: 'officer-hanoi',
    success: 201,
  },
];

const LATEST_AGENCY =
  "SELECT payload->>'sourceAgency' AS source_agency FROM outbox ORDER BY seq DESC LIMIT 1";

async function counts(): Promise<{ citizens: number; outbox: number }> {
  const { rows } = await http.pool.query<{ citizens: number; outbox: number }>(
    'SELECT (SELECT count(*)::int FROM citizens) AS citizens, (SELECT count(*)::int FROM outbox) AS outbox',
  );
  return rows[0]!;
}

describe('national-population API rights', () => {
  beforeAll(async () => {
    http = await startPopulationApi('population_auth');
    // The citizen-demo user's own record, for the citizen's read row.
    const loaded = await http.call(
      'POST',
      '/citizens/initial-load',
      (await ROUTES.at(-1)!.request()).body,
      bearer(await userToken('registrar-admin')),
    );
    expect(loaded.status).toBe(201);
  });

  afterAll(() => http?.close());

  it.each(ROUTES)('$method $name', async (row) => {
    const { path, body } = await row.request();
    const before = await counts();
    const as = async (headers: Record<string, string>) =>
      (await http.call(row.method, path, body, headers)).status;

    const anonymous = await http.call(row.method, path, body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="citizen-bus"');
    const expired = await http.call(
      row.method,
      path,
      body,
      bearer(await expiredUserToken(row.allowed)),
    );
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // A valid token of the tax system: issued for sync-tax, not for this API.
    expect(await as(bearer(await clientToken('tax-system')))).toBe(401);
    expect(await as(bearer(await userToken(row.refused)))).toBe(403);
    expect(await as({ authorization: 'Basic b2ZmaWNlcjpwYXNz' })).toBe(401);
    expect(await counts()).toEqual(before); // nothing refused wrote anything

    const allowed = await http.call(row.method, path, body, bearer(await userToken(row.allowed)));
    expect({ status: allowed.status, body: allowed.body }).toMatchObject({ status: row.success });
  });

  it('lets a citizen read their own record and history, and no one else', async () => {
    const own = bearer(await userToken('citizen-demo'));
    const mine = await http.call('GET', `/citizens/${CITIZEN_DEMO_PERSONAL_ID}`, undefined, own);
    expect([mine.status, mine.body.personalId]).toEqual([200, CITIZEN_DEMO_PERSONAL_ID]);
    const history = await http.call(
      'GET',
      `/citizens/${CITIZEN_DEMO_PERSONAL_ID}/history`,
      undefined,
      own,
    );
    expect(history.status).toBe(200);
    const other = await http.call('GET', `/citizens/${await citizen()}`, undefined, own);
    expect([other.status, other.body.error.code]).toEqual([403, 'NOT_OWN_RECORD']);
  });

  it("refuses an officer's birth, death or residence change in another province, writing nothing", async () => {
    const hcmc = bearer(await userToken('officer-hcmc'));
    const hanoiCitizen = await citizen(HANOI);
    const before = await counts();
    const attempts = [
      await http.call('POST', '/citizens/births', birth(HANOI), hcmc),
      await http.call(
        'POST',
        `/citizens/${hanoiCitizen}/death`,
        { dateOfDeath: '2025-01-02' },
        hcmc,
      ),
      await http.call(
        'PUT',
        `/citizens/${hanoiCitizen}/permanent-residence`,
        { communeCode: HANOI_2, address: '4 Lý Thái Tổ', since: '2024-05-06' },
        hcmc,
      ),
    ];
    expect(attempts.map((a) => [a.status, a.body.error.code])).toEqual([
      [403, 'OUT_OF_JURISDICTION'],
      [403, 'OUT_OF_JURISDICTION'],
      [403, 'OUT_OF_JURISDICTION'],
    ]);
    expect(await counts()).toEqual(before);
    // The same officer records a birth at home, signed with their agency from the token.
    const home = await http.call('POST', '/citizens/births', birth(HCMC), hcmc);
    expect(home.status).toBe(201);
    const { rows } = await http.pool.query<{ source_agency: string }>(LATEST_AGENCY);
    expect(rows[0]?.source_agency).toBe('79');
  });

  it('ignores X-Source-Agency: the agency comes from the token', async () => {
    const created = await http.call('POST', '/citizens/births', birth(HANOI), {
      ...bearer(await userToken('officer-hanoi')),
      'x-source-agency': 'FORGED',
    });
    expect(created.status).toBe(201);
    const { rows } = await http.pool.query<{ source_agency: string }>(LATEST_AGENCY);
    expect(rows[0]?.source_agency).toBe('01');
  });

  it('audits who did what to whom, and the audit table refuses UPDATE and DELETE', async () => {
    const id = await citizen();
    await http.call('GET', `/citizens/${id}`, undefined, bearer(await userToken('officer-hanoi')));
    const { rows } = await http.pool.query(
      `SELECT username, client_id, roles, agency, action, outcome, status, request_id
         FROM audit_trail WHERE citizen_id = $1 ORDER BY id`,
      [id],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        username: 'registrar-admin',
        client_id: 'bus-cli',
        action: 'citizens.register-birth',
        outcome: 'ok',
        status: 201,
      }),
      expect.objectContaining({
        username: 'officer-hanoi',
        roles: ['officer'],
        agency: '01',
        action: 'citizens.read',
        outcome: 'ok',
        status: 200,
        request_id: expect.any(String),
      }),
    ]);
    await expect(http.pool.query('UPDATE audit_trail SET outcome = $1', ['ok'])).rejects.toThrow(
      /append-only/,
    );
    await expect(http.pool.query('DELETE FROM audit_trail')).rejects.toThrow(/append-only/);
    await expect(http.pool.query('TRUNCATE audit_trail')).rejects.toThrow(/append-only/);
    const dpo = bearer(await userToken('ops-dpo'));
    const byCitizen = await http.call('GET', `/audit?citizen=${id}`, undefined, dpo);
    expect(byCitizen.body.map((r: { action: string }) => r.action)).toEqual([
      'citizens.read',
      'citizens.register-birth',
    ]);
    const byActor = await http.call('GET', '/audit?actor=officer-hanoi&limit=5', undefined, dpo);
    expect(byActor.body.length).toBeGreaterThan(0);
    expect(byActor.body.every((r: { username: string }) => r.username === 'officer-hanoi')).toBe(
      true,
    );
  });
});
