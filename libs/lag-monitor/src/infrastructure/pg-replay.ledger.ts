import { join } from 'node:path';
import { inTransaction, migrate, type Logger, type Pool } from '@bus/platform';
import type { ReplayClaim, ReplayLedger, ReplayRecord } from '../application/ports';

export const OPS_MIGRATIONS_DIR = join(__dirname, 'migrations');

export function migrateOpsDatabase(databaseUrl: string, logger?: Logger): Promise<string[]> {
  return migrate({ databaseUrl, dir: OPS_MIGRATIONS_DIR, ...(logger ? { logger } : {}) });
}

interface Row {
  id: string;
  dlt_topic: string;
  dlt_partition: number;
  dlt_offset: string;
  target_topic: string;
  target_partition: number | null;
  target_offset: string | null;
  key_masked: string | null;
  reason: string;
  replayed_by: string;
  replayed_at: Date;
  forced: boolean;
}

const toRecord = (row: Row): ReplayRecord => ({
  id: Number(row.id),
  dltTopic: row.dlt_topic,
  dltPartition: row.dlt_partition,
  dltOffset: Number(row.dlt_offset),
  targetTopic: row.target_topic,
  targetPartition: row.target_partition,
  targetOffset: row.target_offset === null ? null : Number(row.target_offset),
  keyMasked: row.key_masked,
  reason: row.reason,
  replayedBy: row.replayed_by,
  replayedAt: row.replayed_at.toISOString(),
  forced: row.forced,
});

/** The audit table in bus_ops; its partial unique index is the "replay once" guard. */
export class PgReplayLedger implements ReplayLedger {
  constructor(private readonly pool: Pool) {}

  replayOnce(
    claim: ReplayClaim,
    send: () => Promise<{ partition: number; offset: number }>,
  ): Promise<ReplayRecord | undefined> {
    return inTransaction(this.pool, async (client) => {
      // The row lock taken by the insert makes a concurrent replay of the same letter
      // wait here, then find the conflict: the message is sent once.
      const inserted = await client.query<Row>(
        `INSERT INTO dead_letter_replay
           (dlt_topic, dlt_partition, dlt_offset, target_topic, key_masked, reason, replayed_by, forced)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (dlt_topic, dlt_partition, dlt_offset) WHERE NOT forced DO NOTHING
         RETURNING *`,
        [
          claim.dltTopic,
          claim.dltPartition,
          claim.dltOffset,
          claim.targetTopic,
          claim.keyMasked,
          claim.reason,
          claim.replayedBy,
          claim.forced,
        ],
      );
      const row = inserted.rows[0];
      if (!row) return undefined;
      const sent = await send();
      const updated = await client.query<Row>(
        `UPDATE dead_letter_replay SET target_partition = $2, target_offset = $3
         WHERE id = $1 RETURNING *`,
        [row.id, sent.partition, sent.offset],
      );
      return toRecord(updated.rows[0] as Row);
    });
  }

  async replaysOf(dltTopic: string): Promise<ReplayRecord[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM dead_letter_replay WHERE dlt_topic = $1 ORDER BY replayed_at DESC, id DESC LIMIT 1000`,
      [dltTopic],
    );
    return rows.map(toRecord);
  }

  async replayedCounts(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ dlt_topic: string; letters: string }>(
      `SELECT dlt_topic, count(DISTINCT (dlt_partition, dlt_offset)) AS letters
       FROM dead_letter_replay GROUP BY dlt_topic`,
    );
    return new Map(rows.map((r) => [r.dlt_topic, Number(r.letters)]));
  }
}
