import { BusError, inTransaction, type Pool, type PoolClient } from '@bus/platform';
import type {
  RegistryStore,
  StoredSchema,
  SubjectTransaction,
  SubjectVersion,
} from '../application/registry.store';
import type { AvroSchema } from '../domain/avro-schema';
import {
  DEFAULT_COMPATIBILITY_LEVEL,
  isCompatibilityLevel,
  type CompatibilityLevel,
} from '../domain/compatibility-level';
import { RegistryStoreError } from '../domain/registry.errors';

const GLOBAL = '';

interface VersionRow {
  subject: string;
  version: number;
  schema_id: number;
  schema_text: string;
  fingerprint: string;
  deleted: boolean;
}

const VERSION_COLUMNS = `v.subject, v.version, v.schema_id, s.schema_text, s.fingerprint, v.deleted`;

function toVersion(row: VersionRow): SubjectVersion {
  return {
    subject: row.subject,
    version: row.version,
    schemaId: row.schema_id,
    schemaText: row.schema_text,
    fingerprint: row.fingerprint,
    deleted: row.deleted,
  };
}

/** Registry errors pass through; anything else from the database becomes a 50001. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BusError) throw error;
    throw new RegistryStoreError(error);
  }
}

type Queryable = Pick<PoolClient, 'query'>;

async function versionsOf(db: Queryable, subject: string, includeDeleted: boolean) {
  const { rows } = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS}
       FROM registry_subject_versions v JOIN registry_schemas s ON s.id = v.schema_id
      WHERE v.subject = $1 AND ($2 OR NOT v.deleted)
      ORDER BY v.version`,
    [subject, includeDeleted],
  );
  return rows.map(toVersion);
}

async function levelOf(db: Queryable, scope: string): Promise<CompatibilityLevel | undefined> {
  const { rows } = await db.query<{ level: string }>(
    'SELECT level FROM registry_compatibility WHERE subject = $1',
    [scope],
  );
  const level = rows[0]?.level;
  return isCompatibilityLevel(level) ? level : undefined;
}

/*
 * Concurrency, across any number of registry processes on one database:
 *
 * - Per subject, a transaction-scoped advisory lock (pg_advisory_xact_lock on a
 *   hash of the subject) serialises registrations and deletions. A unique
 *   constraint alone cannot do this job: registering is read-check-write (find a
 *   duplicate, check compatibility against the latest live versions, append
 *   version max+1), and the check must see the versions the new one lands after.
 *   The lock is released by COMMIT/ROLLBACK, so a crashed process cannot leak it.
 *   Hash collisions only make two unrelated subjects wait for each other.
 * - Across subjects, the same new schema may be registered under two subjects
 *   at once, which hold different locks. The global id is therefore decided by
 *   the UNIQUE fingerprint: INSERT ... ON CONFLICT DO NOTHING waits for the other
 *   inserter's transaction and, if it committed, yields nothing; the following
 *   SELECT (a new snapshot under READ COMMITTED) then reads the winner's id.
 * - The partial unique index on (subject, schema_id) WHERE NOT deleted is a
 *   backstop: even a bug in the locking could not create two live versions of
 *   one schema in a subject.
 */
class PostgresSubjectTransaction implements SubjectTransaction {
  constructor(
    private readonly client: PoolClient,
    private readonly subject: string,
  ) {}

  versions(includeDeleted: boolean): Promise<SubjectVersion[]> {
    return versionsOf(this.client, this.subject, includeDeleted);
  }

  async effectiveLevel(): Promise<CompatibilityLevel> {
    return (
      (await levelOf(this.client, this.subject)) ??
      (await levelOf(this.client, GLOBAL)) ??
      DEFAULT_COMPATIBILITY_LEVEL
    );
  }

  async schemaIdFor(schema: AvroSchema): Promise<number> {
    const select = () =>
      this.client.query<{ id: number }>('SELECT id FROM registry_schemas WHERE fingerprint = $1', [
        schema.fingerprint,
      ]);
    // Looking first keeps the sequence from being spent on schemas we already have.
    const known = (await select()).rows[0];
    if (known) return known.id;
    const inserted = await this.client.query<{ id: number }>(
      `INSERT INTO registry_schemas (id, fingerprint, identity_form, schema_type, schema_text)
       VALUES (nextval('registry_schema_ids'), $1, $2, 'AVRO', $3)
       ON CONFLICT (fingerprint) DO NOTHING
       RETURNING id`,
      [schema.fingerprint, schema.identity, schema.text],
    );
    const id = inserted.rows[0]?.id ?? (await select()).rows[0]?.id;
    if (id === undefined) {
      throw new RegistryStoreError(`schema ${schema.fingerprint} vanished during insert`);
    }
    return id;
  }

  async addVersion(schemaId: number): Promise<number> {
    const { rows } = await this.client.query<{ version: number }>(
      `INSERT INTO registry_subject_versions (subject, version, schema_id)
       SELECT $1, COALESCE(MAX(version), 0) + 1, $2
         FROM registry_subject_versions WHERE subject = $1
       RETURNING version`,
      [this.subject, schemaId],
    );
    return rows[0]!.version;
  }

  async softDelete(versions: readonly number[]): Promise<void> {
    await this.client.query(
      'UPDATE registry_subject_versions SET deleted = true WHERE subject = $1 AND version = ANY($2::int[])',
      [this.subject, versions],
    );
  }

  async hardDelete(versions: readonly number[]): Promise<void> {
    await this.client.query(
      'DELETE FROM registry_subject_versions WHERE subject = $1 AND version = ANY($2::int[])',
      [this.subject, versions],
    );
  }

  async clearSubjectLevel(): Promise<void> {
    await this.client.query('DELETE FROM registry_compatibility WHERE subject = $1', [
      this.subject,
    ]);
  }
}

export class PostgresRegistryStore implements RegistryStore {
  constructor(private readonly pool: Pool) {}

  subjects(options: { includeDeleted: boolean; prefix?: string }): Promise<string[]> {
    return guarded(async () => {
      const { rows } = await this.pool.query<{ subject: string }>(
        `SELECT DISTINCT subject FROM registry_subject_versions
          WHERE ($1 OR NOT deleted) AND starts_with(subject, $2)
          ORDER BY subject`,
        [options.includeDeleted, options.prefix ?? ''],
      );
      return rows.map((r) => r.subject);
    });
  }

  versions(subject: string, includeDeleted: boolean): Promise<SubjectVersion[]> {
    return guarded(() => versionsOf(this.pool, subject, includeDeleted));
  }

  findInSubject(subject: string, fingerprint: string, includeDeleted: boolean) {
    return guarded(async () => {
      const { rows } = await this.pool.query<VersionRow>(
        `SELECT ${VERSION_COLUMNS}
           FROM registry_subject_versions v JOIN registry_schemas s ON s.id = v.schema_id
          WHERE v.subject = $1 AND s.fingerprint = $2 AND ($3 OR NOT v.deleted)
          ORDER BY v.deleted, v.version DESC LIMIT 1`,
        [subject, fingerprint, includeDeleted],
      );
      return rows[0] ? toVersion(rows[0]) : undefined;
    });
  }

  schemaById(id: number): Promise<StoredSchema | undefined> {
    return guarded(async () => {
      if (id > 2 ** 31 - 1) return undefined;
      const { rows } = await this.pool.query<{
        id: number;
        schema_type: string;
        schema_text: string;
      }>('SELECT id, schema_type, schema_text FROM registry_schemas WHERE id = $1', [id]);
      const row = rows[0];
      return row ? { id: row.id, schemaType: row.schema_type, text: row.schema_text } : undefined;
    });
  }

  usagesOf(schemaId: number, includeDeleted: boolean) {
    return guarded(async () => {
      const { rows } = await this.pool.query<{ subject: string; version: number }>(
        `SELECT subject, version FROM registry_subject_versions
          WHERE schema_id = $1 AND ($2 OR NOT deleted) ORDER BY subject, version`,
        [schemaId, includeDeleted],
      );
      return rows.map((r) => ({ subject: r.subject, version: r.version }));
    });
  }

  level(subject?: string): Promise<CompatibilityLevel | undefined> {
    return guarded(() => levelOf(this.pool, subject ?? GLOBAL));
  }

  setLevel(level: CompatibilityLevel, subject?: string): Promise<void> {
    return guarded(async () => {
      await this.pool.query(
        `INSERT INTO registry_compatibility (subject, level) VALUES ($1, $2)
         ON CONFLICT (subject) DO UPDATE SET level = EXCLUDED.level, updated_at = now()`,
        [subject ?? GLOBAL, level],
      );
    });
  }

  deleteLevel(subject?: string): Promise<CompatibilityLevel | undefined> {
    return guarded(async () => {
      const { rows } = await this.pool.query<{ level: string }>(
        'DELETE FROM registry_compatibility WHERE subject = $1 RETURNING level',
        [subject ?? GLOBAL],
      );
      const level = rows[0]?.level;
      return isCompatibilityLevel(level) ? level : undefined;
    });
  }

  inSubject<T>(subject: string, work: (tx: SubjectTransaction) => Promise<T>): Promise<T> {
    return guarded(() =>
      inTransaction(this.pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended('registry:' || $1, 0))", [
          subject,
        ]);
        return work(new PostgresSubjectTransaction(client, subject));
      }),
    );
  }

  async healthy(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
