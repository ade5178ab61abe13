import { describe, expect, it } from 'vitest';
import { birth, HANOI_COMMUNE, populationTestDb } from './support/population-test-env';

describe('administrative re-addressing (a commune merger), real PostgreSQL', () => {
  it('moves every active resident of the merged communes in batches, one event each, and only them', async () => {
    const db = await populationTestDb();
    const s = db.services;
    const residents: string[] = [];
    for (let i = 0; i < 5; i++) {
      residents.push(
        (await s.registerBirth.execute(birth({ fullName: `Nguyễn Văn An ${'BCDEF'[i]}` })))
          .personalId,
      );
    }
    const elsewhere = await s.registerBirth.execute({
      ...birth({ fullName: 'Lê Thị Hoa', gender: 'FEMALE' }),
      permanentResidence: { communeCode: '00004', address: '1 Điện Biên Phủ' },
    });
    const dead = residents.pop()!;
    await s.registerDeath.execute({ personalId: dead, dateOfDeath: '2024-01-01' });

    const result = await s.readdressResidents.execute({
      fromCommunes: [HANOI_COMMUNE],
      toCommune: '00082',
      batchSize: 3,
    });

    expect(result).toEqual({ readdressed: 4, batches: 2 });
    for (const id of residents) {
      const citizen = await s.queries.getCitizen(id);
      expect(citizen.version).toBe(2);
      expect(citizen.permanentResidence).toMatchObject({
        communeCode: '00082',
        address: '12 Hàng Bài',
      });
    }
    expect((await s.queries.getCitizen(elsewhere.personalId)).version).toBe(1);
    expect((await s.queries.getCitizen(dead)).permanentResidence?.communeCode).toBe(HANOI_COMMUNE);
    const { rows } = await db.pool.query<{ aggregate_id: string }>(
      `SELECT aggregate_id FROM outbox WHERE event_type = 'PERMANENT_RESIDENCE_CHANGED' ORDER BY aggregate_id`,
    );
    expect(rows.map((r) => r.aggregate_id)).toEqual([...residents].sort());
    // Run again: nobody is left in the merged commune.
    expect(
      await s.readdressResidents.execute({ fromCommunes: [HANOI_COMMUNE], toCommune: '00082' }),
    ).toEqual({ readdressed: 0, batches: 0 });
  });
});
