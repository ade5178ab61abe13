import { runner } from 'node-pg-migrate';
import pg from 'pg';
import type { Logger } from '../logging/logger';
import { databaseNameOf, databaseUrlFor } from './database-url';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** Creates the database named in the URL when it does not exist yet. Safe under races. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const name = databaseNameOf(databaseUrl);
  const admin = new pg.Client({ connectionString: databaseUrlFor(databaseUrl, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } catch (error) {
        // 42P04 duplicate_database, 23505 when two creators race on the catalog.
        const code = (error as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw error;
      }
    }
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = databaseNameOf(databaseUrl);
  const admin = new pg.Client({ connectionString: databaseUrlFor(databaseUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export interface MigrateOptions {
  readonly databaseUrl: string;
  /** Folder of `<timestamp>_<name>.sql` files with `-- Up Migration` / `-- Down Migration`. */
  readonly dir: string;
  readonly logger?: Logger;
  /** node-pg-migrate's history table; another one keeps a shared set of migrations apart. */
  readonly migrationsTable?: string;
}

/** Creates the database if needed, then applies pending migrations under node-pg-migrate's lock. */
export async function migrate({
  databaseUrl,
  dir,
  logger,
  migrationsTable = 'pgmigrations',
}: MigrateOptions): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const applied = await runner({
    databaseUrl,
    dir,
    migrationsTable,
    direction: 'up',
    count: Infinity,
    checkOrder: true,
    // Replicas booting together must queue on the migration lock, not die on it.
    advisoryLockMode: 'wait',
    verbose: false,
    log: (message: string) => logger?.debug({ database: databaseNameOf(databaseUrl) }, message),
  });
  return applied.map((migration) => migration.name);
}

/** Runs `work` in one transaction; rolls back on any error and rethrows it. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A connection dropped between two statements emits 'error' on the checked-out client,
  // which would crash the process without a listener; the next statement fails anyway.
  let dropped = false;
  const onDrop = () => {
    dropped = true;
  };
  client.on('error', onDrop);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onDrop);
    // A dropped connection is not returned to the pool.
    client.release(dropped);
  }
}

/** Tables whose retention `prunePublished` may run: an outbox with `seq` and `published_at`. */
export type OutboxTable = 'outbox' | 'sync_receipts' | 'sync_follow_outbox';

/**
 * The bus's one outbox retention statement: deletes the rows published more than
 * `olderThanSeconds` ago among the `limit` oldest by `seq` (a walk of the primary key, never a
 * table scan when nothing is old enough; rows are published in about `seq` order). It touches
 * only published rows, which no relay reads or locks any more.
 */
export async function prunePublished(
  db: Pick<pg.ClientBase, 'query'>,
  table: OutboxTable,
  olderThanSeconds: number,
  limit: number,
): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM ${table} WHERE seq IN (
       SELECT seq FROM (SELECT seq, published_at FROM ${table} ORDER BY seq LIMIT $2) oldest
       WHERE published_at < now() - make_interval(secs => $1))`,
    [olderThanSeconds, limit],
  );
  return rowCount ?? 0;
}
