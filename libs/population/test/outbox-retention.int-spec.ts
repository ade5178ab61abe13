import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { prunePublished } from '@bus/platform';
import { migratePopulation } from '@bus/population';
import { createTestDatabase, onCleanup } from '@bus/testing';

/** Outbox rows: `age` = hours since publication, or null for a row still pending. */
async function outboxWith(pool: pg.Pool, ages: readonly (number | null)[]): Promise<void> {
  for (const [i, age] of ages.entries()) {
    await pool.query(
      `INSERT INTO outbox (event_id, aggregate_type, aggregate_id, aggregate_version, event_type,
                           payload, occurred_at, published_at)
       VALUES (gen_random_uuid(), 'Citizen', $1, 1, 'NAME_CHANGED', '{}', now(),
               CASE WHEN $2::float8 IS NULL THEN NULL ELSE now() - make_interval(hours => $2::int) END)`,
      [`07920101${String(i).padStart(4, '0')}`, age],
    );
  }
}

describe('outbox retention', () => {
  it('deletes only published rows past retention, oldest first, a bounded batch at a time', async () => {
    const databaseUrl = await createTestDatabase('bus_population');
    await migratePopulation(databaseUrl);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    onCleanup(() => pool.end());
    // seq order: three old published, one pending, one old published, one recent published.
    await outboxWith(pool, [200, 200, 200, null, 200, 1]);
    const week = 7 * 24 * 3_600;

    expect(await prunePublished(pool, 'outbox', week, 2)).toBe(2);
    expect(await prunePublished(pool, 'outbox', week, 2)).toBe(1); // the pending row is kept
    expect(await prunePublished(pool, 'outbox', week, 10)).toBe(1);
    expect(await prunePublished(pool, 'outbox', week, 10)).toBe(0);
    const { rows } = await pool.query<{ published: boolean }>(
      'SELECT published_at IS NOT NULL AS published FROM outbox ORDER BY seq',
    );
    expect(rows).toEqual([{ published: false }, { published: true }]);
  });
});
