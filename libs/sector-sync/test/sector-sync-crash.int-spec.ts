import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onCleanup, waitFor } from '@bus/testing';
import { tallyEvent, type TallySetup } from './tally-sector';
import {
  collect,
  produce,
  receiptRows,
  tallyPool,
  tallySetup,
  waitForLogCount,
} from './tally-harness';

const ROOT = resolve(__dirname, '../../..');

/**
 * The test sector in a real child process, run from source with tsx loaded in-process
 * (`--import tsx`, not the tsx CLI, which would put the service in a grandchild that
 * a SIGKILL of the child would not reach).
 */
function spawnTally(setup: TallySetup): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'tally-sector.main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TALLY_SETUP: JSON.stringify(setup),
        TALLY_SLOW_MS: '40', // every batch holds its transaction open a while: a kill lands mid-batch
        TALLY_MAX_BYTES: '4096', // small batches, many commits
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

describe('sector-sync: a real process killed mid-batch', () => {
  it('loses no event and applies none twice after SIGKILL and a restart', async () => {
    const setup = await tallySetup(3);
    const keys = Array.from({ length: 150 }, (_, i) => `K${String(i).padStart(3, '0')}`);
    const events = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((v) => keys.map((k) => tallyEvent(k, v)));
    await produce(setup.topic, events);
    const pool = tallyPool(setup.databaseUrl);

    const first = spawnTally(setup);
    const seen = await waitForLogCount(pool, 200, 60_000);
    first.kill('SIGKILL');
    await waitFor(() => first.signalCode === 'SIGKILL', { description: 'the child to die' });
    const { rows: atKill } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tally_log',
    );
    expect(seen).toBeGreaterThanOrEqual(200);
    expect(atKill[0]?.n).toBeLessThan(events.length); // it really died before the end
    // A receipt for exactly what committed: the batch the kill cut short left none.
    const receiptsAtKill = await receiptRows(pool);
    expect(receiptsAtKill.rows).toBe(atKill[0]?.n);
    expect(receiptsAtKill.ids).toHaveLength(receiptsAtKill.rows);

    const second = spawnTally(setup);
    await waitForLogCount(pool, events.length, 90_000);
    second.kill('SIGTERM');
    await waitFor(() => second.exitCode !== null || second.signalCode !== null, {
      description: 'a graceful exit',
      timeoutMs: 30_000,
    });

    const { rows } = await pool.query<{ n: number; distinct_events: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_events FROM tally_log',
    );
    expect(rows[0]).toEqual({ n: events.length, distinct_events: events.length });
    const { rows: people } = await pool.query<{ n: number; min: string }>(
      'SELECT count(*)::int AS n, min(version)::text AS min FROM tally_people',
    );
    expect(people[0]).toEqual({ n: keys.length, min: '8' });
    expect(second.exitCode).toBe(0);
    // No duplicate receipt after the restart, and every one reached the receipts topic
    // (a re-send after a crash repeats an event id; the ledger's insert absorbs it).
    const receipts = await receiptRows(pool);
    expect(receipts).toEqual({ ids: expect.any(Array), rows: events.length });
    expect(receipts.ids).toHaveLength(events.length);
    const published = await collect(setup.receiptsTopic);
    const distinct = () => new Set(published.map((m) => JSON.parse(String(m.value)).eventId));
    await waitFor(() => distinct().size === events.length, {
      description: 'every receipt on the topic',
      timeoutMs: 30_000,
    });
  }, 150_000); // two child processes, each booting and joining a group: slow on a loaded two-core machine
});
