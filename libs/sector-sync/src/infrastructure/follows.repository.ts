import type { PoolClient } from 'pg';
import { prunePublished } from '@bus/platform';
import { followKey, type FollowChange } from '@bus/contracts';
import type { OutboxMessage, OutboxSource } from './sync-outbox-relay';

type Queryable = Pick<PoolClient, 'query'>;

/**
 * The sector's follow-list: `sync_follows` holds the current state, and each real change
 * (a follow of a citizen not followed, an unfollow of one followed) is also a row of
 * `sync_follow_outbox`, in the caller's transaction, relayed to the follows topic.
 */
export class FollowsRepository implements OutboxSource {
  readonly name = 'follows';

  constructor(private readonly recipient: string) {}

  /** Starts following the citizens; returns those not followed before. */
  async follow(tx: Queryable, personalIds: readonly string[]): Promise<string[]> {
    if (personalIds.length === 0) return [];
    const { rows } = await tx.query<{ personal_id: string }>(
      `WITH changed AS (
         INSERT INTO sync_follows (personal_id, following)
         SELECT DISTINCT unnest($1::text[]), true
         ON CONFLICT (personal_id) DO UPDATE SET following = true, changed_at = now()
           WHERE NOT sync_follows.following
         RETURNING personal_id)
       INSERT INTO sync_follow_outbox (personal_id, following)
       SELECT personal_id, true FROM changed
       RETURNING personal_id`,
      [personalIds],
    );
    return rows.map((r) => r.personal_id);
  }

  /** Stops following the citizens; returns those that were followed. */
  async unfollow(tx: Queryable, personalIds: readonly string[]): Promise<string[]> {
    if (personalIds.length === 0) return [];
    const { rows } = await tx.query<{ personal_id: string }>(
      `WITH changed AS (
         UPDATE sync_follows SET following = false, changed_at = now()
         WHERE personal_id = ANY($1::text[]) AND following
         RETURNING personal_id)
       INSERT INTO sync_follow_outbox (personal_id, following)
       SELECT personal_id, false FROM changed
       RETURNING personal_id`,
      [personalIds],
    );
    return rows.map((r) => r.personal_id);
  }

  async isFollowing(db: Queryable, personalId: string): Promise<boolean> {
    const { rows } = await db.query<{ following: boolean }>(
      'SELECT following FROM sync_follows WHERE personal_id = $1',
      [personalId],
    );
    return rows[0]?.following ?? false;
  }

  async lockPending(tx: Queryable, limit: number): Promise<OutboxMessage[]> {
    const { rows } = await tx.query<{
      seq: string;
      personal_id: string;
      following: boolean;
      changed_at: Date;
    }>(
      `SELECT seq, personal_id, following, changed_at FROM sync_follow_outbox
       WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => {
      const change: FollowChange = {
        recipient: this.recipient,
        personalId: r.personal_id,
        following: r.following,
        changedAt: r.changed_at.toISOString(),
      };
      return {
        seq: r.seq,
        key: followKey(this.recipient, r.personal_id),
        value: JSON.stringify(change),
      };
    });
  }

  async markPublished(tx: Queryable, seqs: readonly string[]): Promise<void> {
    await tx.query(
      'UPDATE sync_follow_outbox SET published_at = now() WHERE seq = ANY($1::bigint[])',
      [seqs],
    );
  }

  prunePublished(db: Queryable, olderThanSeconds: number, limit: number): Promise<number> {
    return prunePublished(db, 'sync_follow_outbox', olderThanSeconds, limit);
  }
}
