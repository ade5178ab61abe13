import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@bus/platform';
import type { DeliveryReceipt, SharingPolicy } from '@bus/contracts';
import { UNKNOWN_POLICY, type Disclosure, type DisclosurePeriod } from '../domain/disclosure';
import { expiredPartitions, monthPartition } from '../domain/ledger-partitions';

type Queryable = Pick<PoolClient, 'query'>;

/** Serialises partition DDL between ledger instances ('LEDG'). */
const PARTITION_LOCK = 0x4c454447;

export interface DisclosureReader {
  readonly reader: string;
  readonly role: string;
}

export class LedgerRepository {
  private readonly partitions = new Set<string>();

  constructor(private readonly pool: Pool) {}

  /** The shipped policy's purposes and legal bases, under its version (first writer wins). */
  async recordPolicy(policy: SharingPolicy): Promise<void> {
    const grants = Object.values(policy.sectors);
    await this.pool.query(
      `INSERT INTO ledger_policies (policy_version, recipient, recipient_name, purpose, legal_basis)
       SELECT $1, g.recipient, g.name, g.purpose, ARRAY(SELECT jsonb_array_elements_text(g.basis))
       FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[]) AS g(recipient, name, purpose, basis)
       ON CONFLICT DO NOTHING`,
      [
        policy.document.policyVersion,
        grants.map((g) => g.sector),
        grants.map((g) => g.name),
        grants.map((g) => g.purpose),
        grants.map((g) => JSON.stringify(g.legalBasis)),
      ],
    );
  }

  /** Creates the monthly partitions these receipts fall into (once per process and month). */
  async ensurePartitions(receipts: readonly DeliveryReceipt[]): Promise<void> {
    const needed = new Map(
      receipts
        .map((r) => monthPartition(new Date(r.appliedAt)))
        .filter((p) => !this.partitions.has(p.name))
        .map((p) => [p.name, p]),
    );
    if (needed.size === 0) return;
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      for (const p of needed.values()) {
        await client.query(
          `CREATE TABLE IF NOT EXISTS "${p.name}" PARTITION OF disclosures
           FOR VALUES FROM ('${p.from}') TO ('${p.to}')`,
        );
      }
    });
    for (const name of needed.keys()) this.partitions.add(name);
  }

  /** One statement per batch; a receipt seen before changes nothing. */
  async insert(tx: Queryable, receipts: readonly DeliveryReceipt[]): Promise<number> {
    if (receipts.length === 0) return 0;
    const { rowCount } = await tx.query(
      `INSERT INTO disclosures
         (personal_id, recipient, event_id, event_type, fields, policy_version, applied_at)
       SELECT r.personal_id, r.recipient, r.event_id, r.event_type,
              ARRAY(SELECT jsonb_array_elements_text(r.fields)), r.policy_version, r.applied_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::int[],
                   $7::timestamptz[])
         AS r(personal_id, recipient, event_id, event_type, fields, policy_version, applied_at)
       ON CONFLICT DO NOTHING`,
      [
        receipts.map((r) => r.personalId),
        receipts.map((r) => r.recipient),
        receipts.map((r) => r.eventId),
        receipts.map((r) => r.eventType),
        receipts.map((r) => JSON.stringify(r.fields)),
        receipts.map((r) => r.policyVersion),
        receipts.map((r) => r.appliedAt),
      ],
    );
    return rowCount ?? 0;
  }

  /** A citizen's deliveries in the period, oldest first, with the policy text of each. */
  async disclosuresOf(personalId: string, period: DisclosurePeriod): Promise<Disclosure[]> {
    const { rows } = await this.pool.query<{
      recipient: string;
      recipient_name: string | null;
      purpose: string | null;
      legal_basis: string[] | null;
      event_type: string;
      fields: string[];
      applied_at: Date;
      policy_version: number;
    }>(
      `SELECT d.recipient, p.recipient_name, p.purpose, p.legal_basis, d.event_type, d.fields,
              d.applied_at, d.policy_version
       FROM disclosures d
       LEFT JOIN ledger_policies p
         ON p.policy_version = d.policy_version AND p.recipient = d.recipient
       WHERE d.personal_id = $1 AND d.applied_at >= $2 AND d.applied_at < $3
       ORDER BY d.applied_at, d.recipient, d.event_id`,
      [personalId, period.from, period.to],
    );
    return rows.map((r) => ({
      recipient: r.recipient,
      recipientName: r.recipient_name ?? r.recipient,
      purpose: r.purpose ?? UNKNOWN_POLICY,
      legalBasis: r.legal_basis ?? [],
      eventType: r.event_type,
      fields: r.fields,
      receivedAt: r.applied_at.toISOString(),
      policyVersion: r.policy_version,
    }));
  }

  /** The read itself is recorded (who, whose data, which period). */
  async auditRead(
    personalId: string,
    period: DisclosurePeriod,
    reader: DisclosureReader,
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO disclosure_reads (personal_id, reader, role, period_from, period_to)
       VALUES ($1, $2, $3, $4, $5)`,
      [personalId, reader.reader, reader.role, period.from, period.to],
    );
  }

  /** Drops the monthly partitions past the retention; returns their names. */
  async dropExpired(now: Date, retentionMonths: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class parent ON parent.oid = i.inhparent
       WHERE parent.relname = 'disclosures'`,
    );
    const expired = expiredPartitions(
      rows.map((r) => r.name),
      now,
      retentionMonths,
    );
    for (const name of expired) {
      await this.pool.query(`DROP TABLE IF EXISTS "${name}"`);
      this.partitions.delete(name);
    }
    return expired;
  }
}
