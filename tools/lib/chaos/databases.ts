import pg from 'pg';
import { serviceDatabases } from '../postgres-roles.ts';
import { DATABASE_URL } from '../stack-settings.ts';
import type { Sector } from './fleet.ts';

/** The campaign's databases (the stack's suffix, e.g. bus_tax_ch), reached as the superuser. */
export const nationalDatabase = (): string => serviceDatabases()['national-population']!;
export const sectorDatabase = (sector: Sector): string => serviceDatabases()[`sync-${sector}`]!;

export function urlOf(database: string): string {
  const url = new URL(DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withDatabase<T>(
  database: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: urlOf(database),
    connectionTimeoutMillis: 5_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops and recreates a service database (FORCE ends its sessions): every run starts empty. */
export async function recreateDatabase(database: string): Promise<void> {
  await withDatabase('postgres', async (client) => {
    const quoted = await client.query<{ db: string; role: string }>(
      'SELECT quote_ident($1) AS db, quote_ident($1) AS role',
      [database],
    );
    const { db, role } = quoted.rows[0]!;
    await client.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await client.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${db} OWNER ${role}`);
    await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${db} FROM PUBLIC`);
  });
}

/**
 * The database fault: no new session may open (ALLOW_CONNECTIONS false) and every open one
 * is terminated, mid-transaction for those that were in one. Only this stack's database is
 * touched: PostgreSQL itself is shared and keeps running.
 */
export async function blockDatabase(database: string): Promise<number> {
  return withDatabase('postgres', async (client) => {
    const { rows } = await client.query<{ db: string }>('SELECT quote_ident($1) AS db', [database]);
    await client.query(`ALTER DATABASE ${rows[0]!.db} ALLOW_CONNECTIONS false`);
    const ended = await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    return ended.rowCount ?? 0;
  });
}

export async function unblockDatabase(database: string): Promise<void> {
  await withDatabase('postgres', async (client) => {
    const { rows } = await client.query<{ db: string }>('SELECT quote_ident($1) AS db', [database]);
    await client.query(`ALTER DATABASE ${rows[0]!.db} ALLOW_CONNECTIONS true`);
  });
}

/**
 * The checker's probe in a sector database: a row in chaos_applies each time the sector
 * records a delivery receipt. The sync engine writes one receipt per applied event in the
 * apply's own transaction (a rolled back apply leaves no row); a BEFORE INSERT trigger fires
 * even when ON CONFLICT later discards a second receipt for the same event, so an event
 * applied twice leaves two rows here even though sync_receipts keeps one. The probe belongs
 * to the campaign, not to the sync engine, whose own counters it does not trust.
 */
export async function installApplyProbe(sector: Sector): Promise<void> {
  await withDatabase(sectorDatabase(sector), async (client) => {
    await client.query(`
      CREATE TABLE IF NOT EXISTS chaos_applies (
        seq         bigserial   PRIMARY KEY,
        event_id    text        NOT NULL,
        personal_id text        NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE OR REPLACE FUNCTION chaos_log_apply() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        INSERT INTO chaos_applies (event_id, personal_id) VALUES (NEW.event_id, NEW.personal_id);
        RETURN NEW;
      END $$;
      DROP TRIGGER IF EXISTS chaos_log_apply ON sync_receipts;
      CREATE TRIGGER chaos_log_apply BEFORE INSERT ON sync_receipts
        FOR EACH ROW EXECUTE FUNCTION chaos_log_apply();
    `);
  });
}
