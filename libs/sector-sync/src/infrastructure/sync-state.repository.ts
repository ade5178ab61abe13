import type { Pool, PoolClient, QueryResult } from 'pg';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { inTransaction, migrate } from '@bus/platform';
import type { TopicPartition } from '../domain/sync-envelope';

/**
 * The framework's own tables live beside the sector's, under their own migrations table.
 * Through the platform's `migrate`: instances of one sector booting together queue on the lock.
 */
export async function migrateSyncState(databaseUrl: string, logger: Logger): Promise<void> {
  await migrate({
    databaseUrl,
    dir: join(__dirname, 'migrations'),
    migrationsTable: 'sector_sync_migrations',
    logger,
  });
}

export class SyncStateRepository {
  constructor(private readonly groupId: string) {}

  /**
   * Locks the partition's offset row for the transaction. Two consumers that both
   * believe they own the partition (a zombie across a rebalance) serialise here,
   * and the second sees what the first committed.
   */
  async lockNextOffset(tx: PoolClient, tp: TopicPartition, ifMissing: string): Promise<bigint> {
    await tx.query(
      `INSERT INTO sync_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [this.groupId, tp.topic, tp.partition, ifMissing],
    );
    const { rows } = await tx.query<{ next_offset: string }>(
      `SELECT next_offset FROM sync_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3
       FOR UPDATE`,
      [this.groupId, tp.topic, tp.partition],
    );
    return BigInt(rows[0]?.next_offset ?? ifMissing);
  }

  /**
   * BEGIN and the partition's row lock in one round trip (one simple-protocol query, values
   * as escaped literals: the group and topic come from config, the partition is an integer).
   * Only the first batch of a partition, with no row yet, pays two more (`lockNextOffset`).
   */
  async beginAndLock(tx: PoolClient, tp: TopicPartition, ifMissing: string): Promise<bigint> {
    const results = (await tx.query(
      `BEGIN; SELECT next_offset FROM sync_offsets WHERE group_id = ${tx.escapeLiteral(this.groupId)}
       AND topic = ${tx.escapeLiteral(tp.topic)} AND partition = ${Number(tp.partition)} FOR UPDATE`,
    )) as unknown as QueryResult<{ next_offset: string }>[];
    const row = results[1]?.rows[0];
    return row ? BigInt(row.next_offset) : this.lockNextOffset(tx, tp, ifMissing);
  }

  /**
   * The batch's per-key versions (UNNEST, never lowering one) and the partition's next
   * offset in one statement: a data-modifying CTE runs whether or not the outer statement
   * reads it.
   */
  async saveVersionsAndOffset(
    tx: PoolClient,
    tp: TopicPartition,
    versions: readonly { key: string; version: number; eventId: string }[],
    nextOffset: bigint,
  ): Promise<void> {
    await tx.query(
      `WITH saved AS (
         INSERT INTO sync_versions (aggregate_key, version, event_id)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])
         ON CONFLICT (aggregate_key) DO UPDATE
           SET version = excluded.version, event_id = excluded.event_id, applied_at = now()
           WHERE sync_versions.version < excluded.version)
       UPDATE sync_offsets SET next_offset = $7, updated_at = now()
       WHERE group_id = $4 AND topic = $5 AND partition = $6`,
      [
        versions.map((v) => v.key),
        versions.map((v) => v.version),
        versions.map((v) => v.eventId),
        this.groupId,
        tp.topic,
        tp.partition,
        nextOffset.toString(),
      ],
    );
  }

  async saveNextOffset(tx: PoolClient, tp: TopicPartition, nextOffset: bigint): Promise<void> {
    await tx.query(
      `UPDATE sync_offsets SET next_offset = $4, updated_at = now()
       WHERE group_id = $1 AND topic = $2 AND partition = $3`,
      [this.groupId, tp.topic, tp.partition, nextOffset.toString()],
    );
  }

  async readNextOffset(pool: Pool, tp: TopicPartition): Promise<bigint | null> {
    const { rows } = await pool.query<{ next_offset: string }>(
      `SELECT next_offset FROM sync_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3`,
      [this.groupId, tp.topic, tp.partition],
    );
    return rows[0] ? BigInt(rows[0].next_offset) : null;
  }

  async readVersions(tx: PoolClient, keys: readonly string[]): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const { rows } = await tx.query<{ aggregate_key: string; version: string }>(
      'SELECT aggregate_key, version FROM sync_versions WHERE aggregate_key = ANY($1::text[])',
      [[...new Set(keys)]],
    );
    return new Map(rows.map((row) => [row.aggregate_key, Number(row.version)]));
  }

  /** For a rebuild: the sector's tables and the framework's state, in one transaction. */
  async truncateAll(pool: Pool, sectorTables: readonly string[]): Promise<void> {
    const tables = [...sectorTables.map((t) => `"${t}"`), 'sync_versions'];
    await inTransaction(pool, async (client) => {
      await client.query(`TRUNCATE ${tables.join(', ')} CASCADE`);
      await client.query('DELETE FROM sync_offsets WHERE group_id = $1', [this.groupId]);
    });
  }
}
