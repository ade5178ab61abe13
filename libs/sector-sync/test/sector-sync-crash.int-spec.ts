import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectedAdmin, onCleanup, waitFor } from '@bus/testing';
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

describe('sector-sync: two instances of one sector, one killed mid-batch', () => {
  it('share the partitions, and lose no event nor apply one twice when one is SIGKILLed', async () => {
    const setup = await tallySetup(3);
    const keys = Array.from({ length: 150 }, (_, i) => `K${String(i).padStart(3, '0')}`);
    const events = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((v) => keys.map((k) => tallyEvent(k, v)));
    const pool = tallyPool(setup.databaseUrl);
    const admin = await connectedAdmin();

    const doomed = spawnTally(setup);
    const survivor = spawnTally(setup);
    // Both members in the one group before the first event: the work is really shared.
    await waitFor(
      async () => {
        const [group] = (await admin.describeGroups([setup.groupId])).groups;
        return group?.state === 'Stable' && group.members.length === 2;
      },
      // Two child processes booting and joining: minutes on a loaded two-core machine.
      { description: 'two members in the group', timeoutMs: 120_000 },
    );
    await produce(setup.topic, events);
    const seen = await waitForLogCount(pool, 200, 60_000);
    doomed.kill('SIGKILL');
    await waitFor(() => doomed.signalCode === 'SIGKILL', { description: 'the child to die' });
    const { rows: atKill } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tally_log',
    );
    expect(seen).toBeGreaterThanOrEqual(200);
    expect(atKill[0]?.n).toBeLessThan(events.length); // it really died before the end

    // The survivor takes the dead member's partitions once its session expires (10 s).
    await waitForLogCount(pool, events.length, 90_000);
    survivor.kill('SIGTERM');
    await waitFor(() => survivor.exitCode !== null || survivor.signalCode !== null, {
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
    expect(survivor.exitCode).toBe(0);
    // A receipt for exactly what committed: none from the batch the kill cut short, none twice,
    // and every one reached the receipts topic (a re-send repeats an event id; the ledger absorbs it).
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
