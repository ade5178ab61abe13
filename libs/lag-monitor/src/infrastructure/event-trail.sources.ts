import type { Admin } from 'kafkajs';
import type { Pool } from '@bus/platform';
import type {
  MasterLocator,
  OutboxReader,
  ReceiptReader,
} from '../application/event-trail.service';
import type { PayloadDecoder, TopicReader } from '../application/ports';
import type { OutboxFact } from '../domain/event-trail';

interface OutboxRow {
  event_id: string;
  aggregate_id: string;
  aggregate_version: string;
  event_type: string;
  occurred_at: Date;
  created_at: Date;
  published_at: Date | null;
  dead_letter_reason: string | null;
  traceparent: string | null;
}

const COLUMNS = `event_id, aggregate_id, aggregate_version, event_type, occurred_at, created_at,
                 published_at, dead_letter_reason, traceparent`;

const toFact = (r: OutboxRow): OutboxFact => ({
  eventId: r.event_id,
  personalId: r.aggregate_id,
  version: Number(r.aggregate_version),
  eventType: r.event_type,
  occurredAt: r.occurred_at.toISOString(),
  committedAt: r.created_at.toISOString(),
  publishedAt: r.published_at?.toISOString() ?? null,
  deadLetterReason: r.dead_letter_reason,
  traceparent: r.traceparent,
});

/** The national service's outbox, read with a pool of the console's own (read only). */
export class PgOutboxReader implements OutboxReader {
  constructor(private readonly pool: Pool) {}

  async byEventId(eventId: string): Promise<OutboxFact[]> {
    const { rows } = await this.pool.query<OutboxRow>(
      `SELECT ${COLUMNS} FROM outbox WHERE event_id = $1`,
      [eventId],
    );
    return rows.map(toFact);
  }

  async byPersonalId(personalId: string, limit: number): Promise<OutboxFact[]> {
    const { rows } = await this.pool.query<OutboxRow>(
      `SELECT ${COLUMNS} FROM outbox WHERE aggregate_id = $1 ORDER BY seq DESC LIMIT $2`,
      [personalId, limit],
    );
    return rows.map(toFact);
  }
}

/** The ledger's disclosures: one row per recipient that committed an event (its receipt). */
export class PgReceiptReader implements ReceiptReader {
  constructor(private readonly pool: Pool) {}

  async appliedAt(
    personalIds: readonly string[],
    eventIds: readonly string[],
  ): Promise<{ eventId: string; recipient: string; appliedAt: string }[]> {
    // disclosures_by_citizen serves the personal-ID filter.
    const { rows } = await this.pool.query<{
      event_id: string;
      recipient: string;
      applied_at: Date;
    }>(
      `SELECT event_id, recipient, min(applied_at) AS applied_at FROM disclosures
       WHERE personal_id = ANY($1::text[]) AND event_id = ANY($2::text[])
       GROUP BY event_id, recipient`,
      [personalIds, eventIds],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      recipient: r.recipient,
      appliedAt: r.applied_at.toISOString(),
    }));
  }
}

/** Records read per partition after the earliest publish time, at most. */
const WINDOW = 500;
/** The broker's timestamp may precede the row's published_at by the send's duration. */
const SLACK_MS = 10_000;

/**
 * Reads the master topic from the offsets at the earliest publish time (the broker's time
 * index) and matches the decoded records' event ids: the relay does not store positions.
 */
export class KafkaMasterLocator implements MasterLocator {
  constructor(
    private readonly admin: Admin,
    private readonly reader: TopicReader,
    private readonly decoder: PayloadDecoder,
    private readonly topic: string,
  ) {}

  async locate(
    events: readonly OutboxFact[],
  ): Promise<Map<string, { partition: number; offset: number }>> {
    const found = new Map<string, { partition: number; offset: number }>();
    const times = events.flatMap((e) => (e.publishedAt ? [Date.parse(e.publishedAt)] : []));
    if (times.length === 0) return found;
    const ends = await this.reader.partitions(this.topic);
    if (ends.length === 0) return found;
    const starts = await this.admin.fetchTopicOffsetsByTimestamp(
      this.topic,
      Math.min(...times) - SLACK_MS,
    );
    const ranges = ends.flatMap(({ partition, start, end }) => {
      const at = Number(starts.find((s) => s.partition === partition)?.offset ?? end);
      const from = Math.max(start, at === -1 ? end : at);
      return end > from ? [{ partition, from, to: Math.min(end, from + WINDOW) }] : [];
    });
    const wanted = new Set(events.map((e) => e.eventId));
    for (const record of await this.reader.read(this.topic, ranges)) {
      const payload = await this.decoder.decode(record.value);
      const eventId =
        payload.format === 'avro' ? (payload.data as { eventId?: unknown }).eventId : null;
      if (typeof eventId === 'string' && wanted.has(eventId) && !found.has(eventId))
        found.set(eventId, { partition: record.partition, offset: record.offset });
    }
    return found;
  }
}
