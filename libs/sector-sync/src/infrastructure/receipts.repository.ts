import type { PoolClient } from 'pg';
import { prunePublished } from '@bus/platform';
import { POLICY_VERSION_HEADER, type DeliveryReceipt, type HeaderValue } from '@bus/contracts';
import type { ReceiptFacts } from '../application/sector-sync.options';
import type { SyncEvent } from '../domain/sync-envelope';
import type { OutboxMessage, OutboxSource } from './sync-outbox-relay';

type Queryable = Pick<PoolClient, 'query'>;

export interface ReceiptSettings {
  readonly recipient: string;
  readonly policyVersion: number;
  readonly describe: (event: unknown) => ReceiptFacts;
}

/** The policy version the router stamped on the share record, else the sector's own. */
export function policyVersionOf(
  headers: Readonly<Record<string, HeaderValue>> | undefined,
  fallback: number,
): number {
  const raw = headers?.[POLICY_VERSION_HEADER];
  const text = Array.isArray(raw) ? raw[0] : raw;
  const version = Number(text?.toString());
  return Number.isInteger(version) && version >= 0 && text !== undefined ? version : fallback;
}

/**
 * Receipts of applied events: written in the batch's transaction, read and marked by the
 * receipts relay. The table is its own outbox (see the migration).
 */
export class ReceiptsRepository implements OutboxSource {
  readonly name = 'receipts';

  constructor(
    private readonly groupId: string,
    private readonly settings: ReceiptSettings,
  ) {}

  /** One statement for the batch; a re-applied event (after a rebuild) keeps its first receipt. */
  async record(
    tx: Queryable,
    applied: readonly SyncEvent<unknown>[],
    headersAt: (offset: string) => Readonly<Record<string, HeaderValue>> | undefined,
  ): Promise<void> {
    if (applied.length === 0) return;
    const facts = applied.map((e) => this.settings.describe(e.event));
    await tx.query(
      `INSERT INTO sync_receipts (group_id, event_id, personal_id, event_type, fields, policy_version)
       SELECT $1, e.event_id, e.personal_id, e.event_type,
              ARRAY(SELECT jsonb_array_elements_text(e.fields)), e.policy_version
       FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::int[])
         AS e(event_id, personal_id, event_type, fields, policy_version)
       ON CONFLICT (group_id, event_id) DO NOTHING`,
      [
        this.groupId,
        applied.map((e) => e.eventId),
        applied.map((e) => e.key),
        facts.map((f) => f.eventType),
        facts.map((f) => JSON.stringify(f.fields)),
        applied.map((e) => policyVersionOf(headersAt(e.offset), this.settings.policyVersion)),
      ],
    );
  }

  /** The oldest unpublished receipts, locked; a second instance's relay skips them. */
  async lockPending(tx: Queryable, limit: number): Promise<OutboxMessage[]> {
    const { rows } = await tx.query<{
      seq: string;
      event_id: string;
      personal_id: string;
      event_type: string;
      fields: string[];
      policy_version: number;
      applied_at: Date;
    }>(
      `SELECT seq, event_id, personal_id, event_type, fields, policy_version, applied_at
       FROM sync_receipts WHERE published_at IS NULL AND group_id = $1
       ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [this.groupId, limit],
    );
    return rows.map((r) => {
      const receipt: DeliveryReceipt = {
        recipient: this.settings.recipient,
        eventId: r.event_id,
        personalId: r.personal_id,
        eventType: r.event_type,
        fields: r.fields,
        policyVersion: r.policy_version,
        appliedAt: r.applied_at.toISOString(),
      };
      return { seq: r.seq, key: r.personal_id, value: JSON.stringify(receipt) };
    });
  }

  async markPublished(tx: Queryable, seqs: readonly string[]): Promise<void> {
    await tx.query('UPDATE sync_receipts SET published_at = now() WHERE seq = ANY($1::bigint[])', [
      seqs,
    ]);
  }

  prunePublished(db: Queryable, olderThanSeconds: number, limit: number): Promise<number> {
    return prunePublished(db, 'sync_receipts', olderThanSeconds, limit);
  }
}
