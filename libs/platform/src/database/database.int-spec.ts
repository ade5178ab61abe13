import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestPool } from '@bus/testing';
import { inTransaction, migrate } from './database';

const dir = join(__dirname, 'test-migrations');

describe('migrate', () => {
  it('lets replicas that boot together queue on the lock: both succeed, the work is done once', async () => {
    const { pool, databaseUrl } = await createTestPool('migrate');
    const results = await Promise.all([
      migrate({ databaseUrl, dir }),
      migrate({ databaseUrl, dir }),
    ]);
    expect(results.flat()).toEqual(['1700000000000_create-things']);
    const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM pgmigrations');
    expect(rows[0]?.count).toBe('1');
  });

  it('is a no-op when nothing is pending', async () => {
    const { databaseUrl } = await createTestPool('migrate');
    await migrate({ databaseUrl, dir });
    expect(await migrate({ databaseUrl, dir })).toEqual([]);
  });
});

describe('inTransaction', () => {
  it('rolls back everything when the work throws', async () => {
    const { pool, databaseUrl } = await createTestPool('tx');
    await migrate({ databaseUrl, dir });
    await expect(
      inTransaction(pool, async (client) => {
        await client.query("INSERT INTO things VALUES (1, 'half')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await pool.query('SELECT * FROM things');
    expect(rows).toEqual([]);
  });
});
