import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface PendingOutboxRow {
  readonly seq: string;
  readonly eventId: string;
  readonly aggregateId: string;
  /** The framed Avro value, when the row was written with the schema the relay registered. */
  readonly framed: Buffer | null;
  /** The payload as JSON, only when `framed` is null. */
  readonly payload: unknown;
  /** The W3C trace context of the command that wrote the row (null when not traced). */
  readonly traceparent: string | null;
}

/** Rows whose body was encoded with this schema come back framed with this header. */
export interface PreEncoded {
  readonly fingerprint: Buffer;
  readonly header: Buffer;
}

export interface OutboxBacklog {
  readonly pending: number;
  /** Seconds since the oldest unpublished row was written; 0 when nothing is pending. */
  readonly oldestPendingAgeSeconds: number;
}

/**
 * The oldest unpublished rows by `seq` (a citizen's rows are in commit order), skipping
 * rows already in flight. Uses the partial index on unpublished rows. A row whose Avro
 * body was written with the `preEncoded` schema comes back framed by PostgreSQL (header ||
 * body): neither its jsonb payload nor any encoding costs the relay anything.
 */
export async function fetchPending(
  db: Queryable,
  limit: number,
  inFlight: readonly string[] = [],
  preEncoded?: PreEncoded,
): Promise<PendingOutboxRow[]> {
  const { rows } = await db.query<{
    seq: string;
    event_id: string;
    aggregate_id: string;
    framed: Buffer | null;
    payload: unknown;
    traceparent: string | null;
  }>(
    `SELECT seq, event_id, aggregate_id, traceparent,
            CASE WHEN payload_schema = $3::bytea THEN $4::bytea || payload_avro END AS framed,
            CASE WHEN payload_schema = $3::bytea THEN NULL ELSE payload END AS payload
     FROM outbox
     WHERE published_at IS NULL AND seq <> ALL($2::bigint[]) ORDER BY seq LIMIT $1`,
    [
      limit,
      // An array literal: pg's array serialiser (quoting every element) cost more than the query.
      `{${inFlight.join(',')}}`,
      preEncoded?.fingerprint ?? null,
      preEncoded?.header ?? null,
    ],
  );
  return rows.map((r) => ({
    seq: r.seq,
    eventId: r.event_id,
    aggregateId: r.aggregate_id,
    framed: r.framed,
    payload: r.payload,
    traceparent: r.traceparent,
  }));
}

export interface DeadLetteredRow {
  readonly seq: string;
  readonly reason: string;
}

/**
 * Called only after the broker acknowledged every row of the batch, `letters` on the
 * relay's dead-letter topic: those are done too, marked with their reason (for "where is
 * this event?") before the rest.
 */
export async function markPublished(
  db: Queryable,
  seqs: readonly string[],
  letters: readonly DeadLetteredRow[] = [],
): Promise<void> {
  if (letters.length > 0) {
    await db.query(
      `UPDATE outbox SET published_at = now(), dead_letter_reason = d.reason
       FROM unnest($1::bigint[], $2::text[]) AS d(seq, reason)
       WHERE outbox.seq = d.seq AND outbox.published_at IS NULL`,
      [letters.map((r) => r.seq), letters.map((r) => r.reason)],
    );
  }
  await db.query(
    'UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[]) AND published_at IS NULL',
    [seqs],
  );
}

export async function outboxBacklog(db: Queryable): Promise<OutboxBacklog> {
  const { rows } = await db.query<{ pending: string; age: number | null }>(
    `SELECT count(*) AS pending,
            extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS age
     FROM outbox WHERE published_at IS NULL`,
  );
  return {
    pending: Number(rows[0]?.pending ?? 0),
    oldestPendingAgeSeconds: Math.max(0, rows[0]?.age ?? 0),
  };
}
