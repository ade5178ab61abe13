import { describe, expect, it, vi } from 'vitest';
import type { ClusterSnapshot } from '../domain/cluster-snapshot';
import { LagMonitorService } from './lag-monitor.service';
import type { OffsetSource, ReplayLedger } from './ports';

/** In-memory ports: the Kafka and PostgreSQL adapters have their own integration tests. */
function fakes(snapshots: (ClusterSnapshot | Error)[]) {
  const source: OffsetSource = {
    snapshot: async () => {
      const next = snapshots.shift();
      if (!next) throw new Error('no more snapshots');
      if (next instanceof Error) throw next;
      return next;
    },
    countMessages: async (topics) => new Map(topics.map((t) => [t, t.startsWith('g.') ? 5 : 0])),
  };
  const ledger: ReplayLedger = {
    replayOnce: async () => undefined,
    replaysOf: async () => [],
    replayedCounts: async () => new Map([['g.dlt', 2]]),
  };
  return { source, ledger };
}

const options = {
  windowSize: 5,
  tableSize: 10,
  historySize: 10,
  thresholds: { defaults: { warnSeconds: 60, errorSeconds: 300 }, byGroup: {} },
  selection: { prefixes: ['bus.'], expected: [] },
  sectors: { bhyt: 'g' },
};

const snapshot = (at: number): ClusterSnapshot => ({
  at,
  groups: [
    {
      group: 'g',
      state: 'Stable',
      members: 1,
      partitions: [{ topic: 't', partition: 0, committed: 3, start: 0, end: 4 }],
    },
  ],
});

describe('LagMonitorService', () => {
  it('records polls, tags sectors and counts dead letters pending replay', async () => {
    const { source, ledger } = fakes([snapshot(1000), snapshot(2000)]);
    const monitor = new LagMonitorService(source, ledger, options, undefined, () => 2000);
    await monitor.pollOnce();
    await monitor.pollOnce();
    const [g] = monitor.groups();
    expect(g).toMatchObject({
      group: 'g',
      sector: 'bhyt',
      lag: 1,
      deadLetters: { topic: 'g.dlt', total: 5, replayed: 2 },
    });
    expect(monitor.monitorHealth()).toMatchObject({ polls: 2, lastPollAt: 2000, lastError: null });
  });

  it('keeps the last view and reports the error when a poll fails', async () => {
    const { source, ledger } = fakes([snapshot(1000), new Error('broker down')]);
    const monitor = new LagMonitorService(source, ledger, options);
    await monitor.pollOnce();
    await monitor.pollOnce();
    expect(monitor.groups()).toHaveLength(1);
    expect(monitor.monitorHealth()).toMatchObject({
      polls: 1,
      pollErrors: 1,
      lastError: 'broker down',
    });
  });

  it('answers NOT_FOUND for a group it does not watch', () => {
    const { source, ledger } = fakes([]);
    const monitor = new LagMonitorService(source, ledger, options);
    expect(() => monitor.group('nope')).toThrow(
      expect.objectContaining({ code: 'GROUP_NOT_WATCHED' }),
    );
  });

  it('polls on its own once started, one poll at a time, and stops cleanly', async () => {
    vi.useFakeTimers();
    try {
      const { source, ledger } = fakes([snapshot(1), snapshot(2), snapshot(3)]);
      const monitor = new LagMonitorService(source, ledger, options);
      monitor.start(1_000);
      await vi.advanceTimersByTimeAsync(0);
      expect(monitor.monitorHealth().polls).toBe(1);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(monitor.monitorHealth().polls).toBe(2);
      await monitor.stop();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(monitor.monitorHealth().polls).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
