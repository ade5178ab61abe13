import type { PoolClient } from 'pg';
import type { ShareEvent } from './share-event';

type Row = Record<string, unknown>;

/**
 * One statement for many rows: `jsonb_populate_recordset` turns a JSON array into rows of
 * the table's type (one parameter, no 65,535-parameter limit), and the upsert writes the
 * final state of each key once.
 */
export async function bulkUpsert(
  tx: PoolClient,
  table: string,
  key: string,
  rows: readonly Row[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const list = columns.map((c) => `"${c}"`).join(', ');
  const updates = columns
    .filter((c) => c !== key)
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(', ');
  await tx.query(
    `INSERT INTO "${table}" (${list})
     SELECT ${list} FROM jsonb_populate_recordset(null::"${table}", $1::jsonb)
     ON CONFLICT ("${key}") DO UPDATE SET ${updates}`,
    [JSON.stringify(rows)],
  );
}

/** Plain inserts of many rows (history, links) in one statement. */
export async function bulkInsert(
  tx: PoolClient,
  table: string,
  rows: readonly Row[],
  onConflict = '',
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const list = Object.keys(first)
    .map((c) => `"${c}"`)
    .join(', ');
  await tx.query(
    `INSERT INTO "${table}" (${list})
     SELECT ${list} FROM jsonb_populate_recordset(null::"${table}", $1::jsonb) ${onConflict}`,
    [JSON.stringify(rows)],
  );
}

export interface RunRules<S> {
  readonly loadMany: (tx: PoolClient, ids: readonly string[]) => Promise<Map<string, S>>;
  readonly evolve: (current: S | null, event: ShareEvent) => S;
  /** Called for each event after evolve, to collect side rows (history, links). */
  readonly observe?: (event: ShareEvent, before: S | null, after: S) => void;
  /** Writes the final state of each changed key, then whatever observe collected. */
  readonly flush: (tx: PoolClient, states: readonly S[]) => Promise<void>;
}

/**
 * Applies a run of single-record events in partition order: one read of every key, the
 * pure rules in memory, one write per table. (The transport hands cross-record events to
 * their own handlers between runs.)
 */
export async function applyRun<S>(
  tx: PoolClient,
  events: readonly ShareEvent[],
  rules: RunRules<S>,
): Promise<void> {
  if (events.length === 0) return;
  const ids = [...new Set(events.map((e) => e.personalId))];
  const states = await rules.loadMany(tx, ids);
  const changed = new Set<string>();
  for (const event of events) {
    const before = states.get(event.personalId) ?? null;
    const after = rules.evolve(before, event);
    states.set(event.personalId, after);
    changed.add(event.personalId);
    rules.observe?.(event, before, after);
  }
  await rules.flush(
    tx,
    [...changed].map((id) => states.get(id) as S),
  );
}
