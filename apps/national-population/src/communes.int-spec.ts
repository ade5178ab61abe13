import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communesOf, PROVINCES, randomPersonalId } from '@bus/contracts';
import type { Pool } from '@bus/platform';
import { bearer, userToken } from '@bus/testing';
import { type PopulationApi, startPopulationApi } from '../test/population-api';

// Acceptance for the full commune catalogue: every one of the 34 provinces works through the
// API, and addresses of before 1 July 2025 convert (or are refused with their candidates).

let api: PopulationApi;
let admin: Record<string, string>;
let pool: Pool;

/** As the registrar: a national administrator records in every province. */
const call = (method: string, path: string, body?: unknown) => api.call(method, path, body, admin);

interface Address {
  provinceCode: string;
  communeCode: string;
}

/** The state each outbox row carries to the bus (the Avro record as JSON). */
async function lastEvent(personalId: string) {
  const { rows } = await pool.query<{
    payload: {
      eventType: string;
      permanentResidence: Address | null;
      birthRegistrationPlace: { provinceCode: string; communeCode: string | null };
    };
  }>('SELECT payload FROM outbox WHERE aggregate_id = $1 ORDER BY seq DESC LIMIT 1', [personalId]);
  return rows[0]!.payload;
}

const outboxCount = async () =>
  (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n;

const loadRecord = (personalId: string, commune: string, residence: string) => ({
  personalId,
  fullName: 'Lò Văn Páo',
  gender: 'MALE',
  dateOfBirth: '1980-05-06',
  birthRegistrationCommuneCode: commune,
  permanentResidence: { communeCode: residence, address: 'Bản Phiêng', since: '2000-01-01' },
});

describe('communes of all 34 provinces and legacy addresses through the national API', () => {
  beforeAll(async () => {
    api = await startPopulationApi('population_communes');
    admin = bearer(await userToken('registrar-admin'));
    pool = api.pool;
  });

  afterAll(async () => {
    await api?.close();
  });

  const table = PROVINCES.map((province, index) => {
    const communes = communesOf(province.code);
    return {
      index,
      province: province.code,
      name: province.name,
      first: communes[0]!.code,
      last: communes[communes.length - 1]!.code,
      // An existing record may carry the prefix of any legacy province merged into this one.
      loadPrefix: province.mergedFrom[province.mergedFrom.length - 1]!,
    };
  });

  it('picks one commune in each of the 34 provinces', () => {
    expect(new Set(table.map((row) => row.province)).size).toBe(34);
  });

  it.each(table)(
    '$province $name: a birth, a residence change and an initial load succeed',
    async ({ index, province, first, last, loadPrefix }) => {
      const born = await call('POST', '/citizens/births', {
        child: { fullName: 'Hoàng Thị Mai', gender: 'FEMALE', dateOfBirth: '2024-03-01' },
        registrationCommuneCode: first,
        permanentResidence: { communeCode: first, address: 'Tổ 1' },
      });
      expect(born.status, JSON.stringify(born.body)).toBe(201);
      const id = born.body.personalId as string;
      expect(await lastEvent(id)).toMatchObject({
        eventType: 'BIRTH_REGISTERED',
        birthRegistrationPlace: { provinceCode: province, communeCode: first },
        permanentResidence: { provinceCode: province, communeCode: first },
      });

      const moved = await call('PUT', `/citizens/${id}/permanent-residence`, {
        communeCode: last,
        address: 'Tổ 2',
        since: '2025-08-01',
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect((await lastEvent(id)).permanentResidence).toEqual(
        expect.objectContaining({ provinceCode: province, communeCode: last }),
      );

      const loadedId = randomPersonalId(
        { provincePrefix: loadPrefix, birthYear: 1980, gender: 'MALE' },
        () => index,
      );
      const loaded = await call('POST', '/citizens/initial-load', {
        records: [loadRecord(loadedId, first, last)],
      });
      expect(loaded.status, JSON.stringify(loaded.body)).toBe(201);
      expect(loaded.body).toEqual({ inserted: 1, skipped: [] });
      expect(await lastEvent(loadedId)).toMatchObject({
        birthRegistrationPlace: { provinceCode: province, communeCode: first },
        permanentResidence: { provinceCode: province, communeCode: last },
      });
    },
  );

  it('converts a legacy commune code in an initial load and a correction, keeping the old code', async () => {
    // 00001 Phường Phúc Xá (before 1 July 2025) is now part of Phường Hồng Hà, 00097.
    const loaded = await call('POST', '/citizens/initial-load', {
      records: [loadRecord('001080900001', '00001', '00001')],
    });
    expect(loaded.status, JSON.stringify(loaded.body)).toBe(201);
    const citizen = await call('GET', '/citizens/001080900001');
    expect(citizen.body).toMatchObject({
      birthRegistrationCommuneCode: '00097',
      permanentResidence: { communeCode: '00097', legacyCommuneCode: '00001' },
    });
    expect((await lastEvent('001080900001')).permanentResidence).toEqual(
      expect.objectContaining({ provinceCode: '01', communeCode: '00097' }),
    );

    // 30622 Xã Tân Phú (An Giang) is now part of Xã Vĩnh An, 30604 (1654/NQ-UBTVQH15).
    const corrected = await call('POST', '/citizens/001080900001/corrections', {
      corrections: { hometownCommuneCode: '30622' },
    });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    expect((await call('GET', '/citizens/001080900001')).body.hometownCommuneCode).toBe('30604');
  });

  it('refuses a legacy commune split between new ones, naming the candidates, and writes nothing', async () => {
    const before = await outboxCount();
    // 00007 Phường Cống Vị was divided between Phường Ngọc Hà (00008) and Phường Giảng Võ (00025).
    const refused = await call('POST', '/citizens/initial-load', {
      records: [loadRecord('001080900002', '00070', '00007')],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([
      expect.objectContaining({
        path: 'records.0.permanentResidence.communeCode',
        code: 'COMMUNE_SPLIT',
        message: expect.stringContaining('00008 (Phường Ngọc Hà), 00025 (Phường Giảng Võ)'),
      }),
    ]);
    expect((await call('GET', '/citizens/001080900002')).status).toBe(404);
    expect(await outboxCount()).toBe(before);
  });

  it('refuses a legacy code for a new birth: new registrations use 2025 codes', async () => {
    const refused = await call('POST', '/citizens/births', {
      child: { fullName: 'Hoàng Văn Nam', gender: 'MALE', dateOfBirth: '2024-03-01' },
      registrationCommuneCode: '00001',
      permanentResidence: { communeCode: '00097', address: 'Tổ 1' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([
      expect.objectContaining({ path: 'registrationCommuneCode', code: 'COMMUNE_UNKNOWN' }),
    ]);
  });

  it('loads the record of a citizen whose birth was registered abroad (country-code prefix)', async () => {
    const loaded = await call('POST', '/citizens/initial-load', {
      records: [loadRecord('418080000001', '00070', '00070')],
    });
    expect(loaded.status, JSON.stringify(loaded.body)).toBe(201);
    expect((await call('GET', '/citizens/418080000001')).status).toBe(200);
  });
});
