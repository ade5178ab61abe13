import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { STATE_DIR } from './paths.ts';
import { policySectors, writePrivate } from './stack-secrets.ts';
import { DATABASE_SUFFIX } from './stack-settings.ts';

/**
 * One PostgreSQL login role per service, owning only its own database, with CONNECT revoked
 * from PUBLIC on every bus database: a sector process cannot even open bus_population. The
 * superuser URL (DATABASE_URL) is used only here and by the test harness. Passwords are
 * generated at the first stack:up into .stack/postgres/<role> (0600).
 */
export const POSTGRES_ROLES_DIR = join(STATE_DIR, 'postgres');

/** Each service's database (docs/conventions.md), the role named after it. */
export function serviceDatabases(): Record<string, string> {
  const name = (base: string) => `${base}${DATABASE_SUFFIX}`;
  return {
    'schema-registry': name('bus_registry'),
    'national-population': name('bus_population'),
    ...Object.fromEntries(policySectors().map((s) => [`sync-${s}`, name(`bus_${s}`)])),
    ledger: name('bus_ledger'),
    'ops-console': name('bus_ops'),
  };
}

function password(role: string): string {
  mkdirSync(POSTGRES_ROLES_DIR, { recursive: true, mode: 0o700 });
  const file = join(POSTGRES_ROLES_DIR, role);
  if (!existsSync(file)) {
    writePrivate(file, randomBytes(24).toString('base64url'));
  }
  return readFileSync(file, 'utf8').trim();
}

const withClient = async <T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** `format()` quotes the identifier and the literal: never string-built SQL with a secret. */
async function run(client: pg.Client, template: string, ...args: string[]): Promise<void> {
  const { rows } = await client.query<{ sql: string }>(
    `SELECT format('${template}', ${args.map((_, i) => `$${i + 1}::text`).join(', ')}) AS sql`,
    args,
  );
  await client.query(rows[0]?.sql ?? '');
}

/** Objects left by migrations run as the superuser (before roles existed) go to the owner. */
const REOWN = `
DO $$
DECLARE r record;
BEGIN
  EXECUTE format('ALTER SCHEMA public OWNER TO %I', current_setting('bus.owner'));
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
             AND pg_get_userbyid(c.relowner) <> current_setting('bus.owner')
             AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %I OWNER TO %I',
      CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                     WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
      r.relname, current_setting('bus.owner'));
  END LOOP;
  FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
             AND pg_get_userbyid(t.typowner) <> current_setting('bus.owner')
  LOOP
    EXECUTE format('ALTER TYPE %I OWNER TO %I', r.typname, current_setting('bus.owner'));
  END LOOP;
END $$`;

/** Creates or updates the roles and their databases; returns each service's server URL. */
export async function ensurePostgresRoles(superuserUrl: string): Promise<void> {
  for (const database of Object.values(serviceDatabases())) {
    const role = database;
    await withClient(superuserUrl, async (client) => {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      await run(
        client,
        exists.rowCount ? 'ALTER ROLE %I LOGIN PASSWORD %L' : 'CREATE ROLE %I LOGIN PASSWORD %L',
        role,
        password(role),
      );
      const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (db.rowCount) await run(client, 'ALTER DATABASE %I OWNER TO %I', database, role);
      else await run(client, 'CREATE DATABASE %I OWNER %I', database, role);
      await run(client, 'REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', database);
    });
    const url = new URL(superuserUrl);
    url.pathname = `/${database}`;
    await withClient(url.toString(), async (client) => {
      await run(client, 'SET bus.owner = %L', role);
      await client.query(REOWN);
    });
  }
}

/**
 * The only reads across services: the ops console's "where is this event?" looks up outbox rows
 * in the national database and delivery receipts in the ledger's. Granted table by table, once
 * the owning service's migrations created them (stack:up, and npm start once the apps are up).
 */
const CROSS_READS: readonly { reader: string; owner: string; table: string }[] = [
  { reader: 'ops-console', owner: 'national-population', table: 'outbox' },
  { reader: 'ops-console', owner: 'ledger', table: 'disclosures' },
];

export async function grantCrossReads(superuserUrl: string): Promise<void> {
  const databases = serviceDatabases();
  for (const { reader, owner, table } of CROSS_READS) {
    const role = databases[reader];
    const database = databases[owner];
    if (!role || !database) continue;
    const exists = await withClient(superuserUrl, async (client) => {
      const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (db.rowCount) await run(client, 'GRANT CONNECT ON DATABASE %I TO %I', database, role);
      return db.rowCount === 1;
    });
    if (!exists) continue; // granted on a later run, once the service created it
    const url = new URL(superuserUrl);
    url.pathname = `/${database}`;
    await withClient(url.toString(), async (client) => {
      const found = await client.query('SELECT to_regclass($1) AS t', [`public.${table}`]);
      if (!found.rows[0]?.t) return;
      await run(client, 'GRANT USAGE ON SCHEMA public TO %I', role);
      await run(client, 'GRANT SELECT ON TABLE %I TO %I', table, role);
    });
  }
}

/** The server URL a service's process gets as DATABASE_URL: its own role, its password. */
export function serviceDatabaseUrl(superuserUrl: string, service: string): string | undefined {
  const database = serviceDatabases()[service];
  if (!database) return undefined;
  const url = new URL(superuserUrl);
  url.username = database;
  url.password = password(database);
  url.pathname = '/postgres';
  return url.toString();
}
