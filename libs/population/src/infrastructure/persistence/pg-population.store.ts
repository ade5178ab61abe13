import {
  busTracer,
  ErrorCode,
  inTransaction,
  traceparentOf,
  tracingEnabled,
  type Pool,
  type PoolClient,
} from '@bus/platform';
import {
  changeDiff,
  CITIZEN_AGGREGATE,
  citizenChangedPayload,
} from '../../application/citizen-event';
import type {
  HistoryEntry,
  PopulationStore,
  PopulationTransaction,
  RecordedChange,
  StoredIdempotentResult,
} from '../../application/population.ports';
import type { Citizen, CitizenState } from '../../domain/citizen';
import { conflict } from '../../domain/population.errors';
import { shippedCitizenChangedCodec } from '../outbox/citizen-changed.codec';

export const OUTBOX_CHANNEL = 'population_outbox';

interface CitizenRow {
  version: string;
  state: CitizenState;
}

const toCitizen = (row: CitizenRow): Citizen => ({ ...row.state, version: Number(row.version) });

/** Inserts history and outbox rows for many changes with one statement each (UNNEST, no parameter limit). */
async function appendHistoryAndOutbox(
  client: PoolClient,
  changes: readonly RecordedChange[],
): Promise<void> {
  const events = changes.map(citizenChangedPayload);
  await client.query(
    `INSERT INTO citizen_changes (personal_id, version, event_id, change_type, effective_on, recorded_at, changed)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::date[], $6::timestamptz[], $7::jsonb[])`,
    [
      events.map((e) => e.personalId),
      events.map((e) => e.version),
      events.map((e) => e.eventId),
      changes.map((c) => c.change.changeType),
      changes.map((c) => c.change.effectiveOn),
      changes.map((c) => c.recordedAt.toISOString()),
      changes.map((c) => JSON.stringify(changeDiff(c))),
    ],
  );
  // The Avro body is encoded here, in the command's transaction, so that the relay only
  // frames it; an event the schema cannot carry is refused now instead of blocking the relay.
  const codec = shippedCitizenChangedCodec();
  // A child of the command's span (the HTTP request's); its traceparent goes with the rows.
  const span = tracingEnabled()
    ? busTracer().startSpan('outbox write', { attributes: { 'bus.outbox.rows': changes.length } })
    : undefined;
  await client.query(
    `INSERT INTO outbox (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at,
                         payload_avro, payload_schema, traceparent)
     SELECT u.*, $9::bytea, $10::text FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::jsonb[],
                                       $7::timestamptz[], $8::bytea[]) AS u`,
    [
      events.map((e) => e.eventId),
      events.map(() => CITIZEN_AGGREGATE),
      events.map((e) => e.personalId),
      events.map((e) => e.version),
      events.map((e) => e.eventType),
      events.map((e) => JSON.stringify(e)),
      changes.map((c) => c.recordedAt.toISOString()),
      events.map((e) => codec.encode(e)),
      codec.fingerprint,
      traceparentOf(span) ?? null,
    ],
  );
  span?.end();
}

/** One NOTIFY per transaction, however many outbox rows it wrote. */
const notifyRelay = (client: PoolClient) =>
  client.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);

class PgPopulationTransaction implements PopulationTransaction {
  wroteOutbox = false;

  constructor(private readonly client: PoolClient) {}

  async readCitizen(personalId: string): Promise<Citizen | undefined> {
    const { rows } = await this.client.query<CitizenRow>(
      'SELECT version, state FROM citizens WHERE personal_id = $1',
      [personalId],
    );
    return rows[0] && toCitizen(rows[0]);
  }

  async lockCitizens(personalIds: readonly string[]): Promise<Map<string, Citizen>> {
    const ids = [...new Set(personalIds)].sort();
    if (ids.length === 0) return new Map();
    // LockRows runs above the sort: rows are locked in personal-ID order.
    const { rows } = await this.client.query<CitizenRow>(
      'SELECT version, state FROM citizens WHERE personal_id = ANY($1::text[]) ORDER BY personal_id FOR UPDATE',
      [ids],
    );
    return new Map(rows.map((row) => [row.state.personalId, toCitizen(row)]));
  }

  async childrenOf(personalId: string): Promise<string[]> {
    // Served by the citizens_father_id / citizens_mother_id expression indexes.
    const { rows } = await this.client.query<{ personal_id: string }>(
      `SELECT personal_id FROM citizens WHERE state->>'fatherId' = $1
       UNION SELECT personal_id FROM citizens WHERE state->>'motherId' = $1`,
      [personalId],
    );
    return rows.map((r) => r.personal_id);
  }

  async lastChangeOn(personalId: string, changeType: string): Promise<string | null> {
    const { rows } = await this.client.query<{ effective_on: string }>(
      `SELECT to_char(effective_on, 'YYYY-MM-DD') AS effective_on FROM citizen_changes
       WHERE personal_id = $1 AND change_type = $2 ORDER BY version DESC LIMIT 1`,
      [personalId, changeType],
    );
    return rows[0]?.effective_on ?? null;
  }

  async reservePersonalId(personalId: string): Promise<boolean> {
    const { rowCount } = await this.client.query(
      'INSERT INTO personal_ids (personal_id) VALUES ($1) ON CONFLICT DO NOTHING',
      [personalId],
    );
    return rowCount === 1;
  }

  async cancelPersonalId(personalId: string, replacedBy: string, reason: string): Promise<void> {
    await this.client.query(
      `UPDATE personal_ids SET cancelled_at = now(), cancel_reason = $3, replaced_by = $2
       WHERE personal_id = $1`,
      [personalId, replacedBy, reason],
    );
  }

  async record(changes: readonly RecordedChange[]): Promise<void> {
    if (changes.length === 0) return;
    for (const { change } of changes) {
      const { version, ...state } = change.after;
      if (change.before === null) {
        await this.client.query(
          'INSERT INTO citizens (personal_id, version, status, state) VALUES ($1, $2, $3, $4)',
          [state.personalId, version, state.status, JSON.stringify(state)],
        );
        continue;
      }
      // The row is locked, so this can only miss if a use case skipped the lock: fail loudly.
      const { rowCount } = await this.client.query(
        `UPDATE citizens SET version = $2, status = $3, state = $4, updated_at = now()
         WHERE personal_id = $1 AND version = $2 - 1`,
        [state.personalId, version, state.status, JSON.stringify(state)],
      );
      if (rowCount !== 1) {
        throw conflict(
          ErrorCode.VERSION_CONFLICT,
          'The record changed concurrently',
          state.personalId,
        );
      }
    }
    await appendHistoryAndOutbox(this.client, changes);
    this.wroteOutbox = true;
  }

  async claimIdempotencyKey(
    scope: string,
    key: string,
    requestHash: string,
  ): Promise<StoredIdempotentResult | undefined> {
    // A concurrent request with the same key waits here on the unique index until the first commits.
    const { rowCount } = await this.client.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response) VALUES ($1, $2, $3, 'null')
       ON CONFLICT DO NOTHING`,
      [scope, key, requestHash],
    );
    if (rowCount === 1) return undefined;
    const { rows } = await this.client.query<{ request_hash: string; response: unknown }>(
      'SELECT request_hash, response FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    const row = rows[0];
    return row && { requestHash: row.request_hash, response: row.response };
  }

  async saveIdempotentResult(scope: string, key: string, response: unknown): Promise<void> {
    await this.client.query(
      'UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2',
      [scope, key, JSON.stringify(response)],
    );
  }
}

export class PgPopulationStore implements PopulationStore {
  constructor(private readonly pool: Pool) {}

  transaction<T>(work: (tx: PopulationTransaction) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      const tx = new PgPopulationTransaction(client);
      const result = await work(tx);
      if (tx.wroteOutbox) await notifyRelay(client);
      return result;
    });
  }

  async findCitizen(personalId: string): Promise<Citizen | undefined> {
    const { rows } = await this.pool.query<CitizenRow>(
      'SELECT version, state FROM citizens WHERE personal_id = $1',
      [personalId],
    );
    return rows[0] && toCitizen(rows[0]);
  }

  async history(personalId: string): Promise<HistoryEntry[] | undefined> {
    if ((await this.findCitizen(personalId)) === undefined) return undefined;
    const { rows } = await this.pool.query<{
      version: string;
      event_id: string;
      change_type: string;
      effective_on: string;
      recorded_at: Date;
      changed: Record<string, unknown>;
    }>(
      `SELECT version, event_id, change_type, to_char(effective_on, 'YYYY-MM-DD') AS effective_on,
              recorded_at, changed
       FROM citizen_changes WHERE personal_id = $1 ORDER BY version`,
      [personalId],
    );
    return rows.map((row) => ({
      version: Number(row.version),
      eventId: row.event_id,
      changeType: row.change_type,
      effectiveOn: row.effective_on,
      recordedAt: row.recorded_at.toISOString(),
      changed: row.changed,
    }));
  }

  async loadCitizens(
    changes: readonly RecordedChange[],
  ): Promise<{ inserted: string[]; skipped: string[] }> {
    return inTransaction(this.pool, async (client) => {
      const ids = changes.map((c) => c.change.after.personalId);
      const { rows } = await client.query<{ personal_id: string }>(
        `INSERT INTO personal_ids (personal_id) SELECT DISTINCT unnest($1::text[])
         ON CONFLICT DO NOTHING RETURNING personal_id`,
        [ids],
      );
      const fresh = new Set(rows.map((r) => r.personal_id));
      const accepted = changes.filter((c) => fresh.delete(c.change.after.personalId));
      const inserted = new Set(accepted.map((c) => c.change.after.personalId));
      if (accepted.length > 0) {
        const states = accepted.map(({ change }) => {
          const { version: _version, ...state } = change.after;
          return state;
        });
        await client.query(
          `INSERT INTO citizens (personal_id, version, status, state)
           SELECT id, 1, status, state FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS t(id, status, state)`,
          [
            states.map((s) => s.personalId),
            states.map((s) => s.status),
            states.map((s) => JSON.stringify(s)),
          ],
        );
        await appendHistoryAndOutbox(client, accepted);
        await notifyRelay(client);
      }
      return {
        inserted: [...inserted],
        skipped: [...new Set(ids.filter((id) => !inserted.has(id)))],
      };
    });
  }
}
