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

/** The history and outbox columns of many changes, as arrays for UNNEST (no parameter limit). */
function historyAndOutboxParams(changes: readonly RecordedChange[]) {
  const events = changes.map(citizenChangedPayload);
  // The Avro body is encoded here, in the command's transaction, so that the relay only
  // frames it; an event the schema cannot carry is refused now instead of blocking the relay.
  const codec = shippedCitizenChangedCodec();
  // A child of the command's span (the HTTP request's); its traceparent goes with the rows.
  const span = tracingEnabled()
    ? busTracer().startSpan('outbox write', { attributes: { 'bus.outbox.rows': changes.length } })
    : undefined;
  const history = [
    events.map((e) => e.personalId),
    events.map((e) => e.version),
    events.map((e) => e.eventId),
    changes.map((c) => c.change.changeType),
    changes.map((c) => c.change.effectiveOn),
    changes.map((c) => c.recordedAt.toISOString()),
    changes.map((c) => JSON.stringify(changeDiff(c))),
  ];
  const outbox = [
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
  ];
  return { history, outbox, end: () => span?.end() };
}

const HISTORY_INSERT = (p: number) =>
  `INSERT INTO citizen_changes (personal_id, version, event_id, change_type, effective_on, recorded_at, changed)
   SELECT * FROM unnest($${p}::text[], $${p + 1}::bigint[], $${p + 2}::uuid[], $${p + 3}::text[], $${p + 4}::date[],
                        $${p + 5}::timestamptz[], $${p + 6}::jsonb[])`;
const OUTBOX_INSERT = (p: number) =>
  `INSERT INTO outbox (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at,
                       payload_avro, payload_schema, traceparent)
   SELECT u.*, $${p + 8}::bytea, $${p + 9}::text
   FROM unnest($${p}::uuid[], $${p + 1}::text[], $${p + 2}::text[], $${p + 3}::bigint[], $${p + 4}::text[],
               $${p + 5}::jsonb[], $${p + 6}::timestamptz[], $${p + 7}::bytea[]) AS u`;

/** Inserts history and outbox rows for many changes with one statement each (the bulk load's path). */
async function appendHistoryAndOutbox(
  client: PoolClient,
  changes: readonly RecordedChange[],
): Promise<void> {
  const params = historyAndOutboxParams(changes);
  await client.query(HISTORY_INSERT(1), params.history);
  await client.query(OUTBOX_INSERT(1), params.outbox);
  params.end();
}

/**
 * A command's whole write in ONE statement (one round trip instead of four): the state rows
 * (updates checked against the previous version, inserts for new records), the history rows,
 * the outbox rows and the relay's NOTIFY (delivered at commit, like one sent just before it).
 * Data-modifying CTEs run on one snapshot and the foreign keys are checked at the end of the
 * statement, so a new record's history row may reference it. Returns the updated IDs: one
 * missing means its version moved (a use case that skipped the lock).
 */
const RECORD_STATEMENT = `WITH updated AS (
    UPDATE citizens c SET version = u.version, status = u.status, state = u.state, updated_at = now()
    FROM unnest($1::bpchar[], $2::bigint[], $3::text[], $4::jsonb[]) AS u(personal_id, version, status, state)
    WHERE c.personal_id = u.personal_id AND c.version = u.version - 1
    RETURNING c.personal_id),
  inserted AS (
    INSERT INTO citizens (personal_id, version, status, state)
    SELECT * FROM unnest($5::text[], $6::bigint[], $7::text[], $8::jsonb[])),
  history AS (${HISTORY_INSERT(9)}),
  outbox AS (${OUTBOX_INSERT(16)})
  SELECT array(SELECT personal_id FROM updated) AS updated, pg_notify('${OUTBOX_CHANNEL}', '')::text AS notified`;

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
    const { rows } = await this.client.query<CitizenRow>({
      name: 'population-lock',
      // bpchar[], the column's type: against text[] the column is cast and its primary key
      // unused, which made every command's lock a sequential scan of all citizens.
      text: 'SELECT version, state FROM citizens WHERE personal_id = ANY($1::bpchar[]) ORDER BY personal_id FOR UPDATE',
      values: [ids],
    });
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
    const ids = changes.map((c) => c.change.after.personalId);
    // One change per record (every command but a few merges): one statement. A record changed
    // twice in one command needs its updates in order, one statement each.
    if (new Set(ids).size === ids.length) return this.recordInOneStatement(changes);
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

  private async recordInOneStatement(changes: readonly RecordedChange[]): Promise<void> {
    const rows = changes.map(({ change }) => {
      const { version, ...state } = change.after;
      return { isNew: change.before === null, version, state };
    });
    const updates = rows.filter((r) => !r.isNew);
    const inserts = rows.filter((r) => r.isNew);
    const columns = (list: typeof rows) => [
      list.map((r) => r.state.personalId),
      list.map((r) => r.version),
      list.map((r) => r.state.status),
      list.map((r) => JSON.stringify(r.state)),
    ];
    const params = historyAndOutboxParams(changes);
    const { rows: result } = await this.client.query<{ updated: string[] }>({
      // Prepared once per connection: the plan of this statement is the command's hot path.
      name: 'population-record',
      text: RECORD_STATEMENT,
      values: [...columns(updates), ...columns(inserts), ...params.history, ...params.outbox],
    });
    params.end();
    const updated = new Set(result[0]?.updated);
    const missed = updates.find((r) => !updated.has(r.state.personalId));
    // The rows are locked, so this can only miss if a use case skipped the lock: fail loudly.
    if (missed !== undefined) {
      throw conflict(
        ErrorCode.VERSION_CONFLICT,
        'The record changed concurrently',
        missed.state.personalId,
      );
    }
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
