import pg from 'pg';
import { databaseNameOf, databaseUrlFor } from '@bus/platform';
import { onCleanup } from './cleanup';

/**
 * Makes one database unreachable (new connections refused, open ones terminated)
 * without touching the shared server; returns the function that restores it, which
 * also runs after the test if the test did not call it.
 */
export async function blockDatabase(databaseUrl: string): Promise<() => Promise<void>> {
  const name = databaseNameOf(databaseUrl);
  const admin = new pg.Client({ connectionString: databaseUrlFor(databaseUrl, 'postgres') });
  await admin.connect();
  await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [name],
  );
  let restored = false;
  const restore = async () => {
    if (restored) return;
    restored = true;
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    await admin.end();
  };
  onCleanup(restore);
  return restore;
}
