import { describe, expect, it } from 'vitest';
import type { GroupOffsets } from './cluster-snapshot';
import { LagTracker } from './lag-tracker';

const tracker = () =>
  new LagTracker({
    windowSize: 4,
    tableSize: 60,
    historySize: 10,
    thresholds: {
      defaults: { warnSeconds: 1000, errorSeconds: 5000 },
      byGroup: { tight: { warnSeconds: 2, errorSeconds: 5 } },
    },
  });

const group = (
  name: string,
  committed: number | null,
  end: number,
  members = 1,
  extra: Partial<GroupOffsets> = {},
): GroupOffsets => ({
  group: name,
  state: members > 0 ? 'Stable' : 'Empty',
  members,
  partitions: [{ topic: 't', partition: 0, committed, start: 0, end }],
  ...extra,
});

describe('LagTracker', () => {
  it('reports lag in offsets and seconds, and 0 s for an idle caught-up group', () => {
    const t = tracker();
    t.record({ at: 0, groups: [group('g', 0, 0)] });
    t.record({ at: 10_000, groups: [group('g', 0, 100)] });
    const behind = t.reportOf('g', 20_000);
    expect(behind?.lag).toBe(100);
    // Offset 0 was produced between 0 s and 10 s: estimated at 0 s, so 20 s behind.
    expect(behind?.lagSeconds).toBe(20);
    for (let i = 3; i < 30; i++) t.record({ at: i * 10_000, groups: [group('g', 100, 100)] });
    const idle = t.reportOf('g', 300_000);
    expect(idle?.lag).toBe(0);
    expect(idle?.lagSeconds).toBe(0);
    expect(idle?.status).toBe('OK');
    expect(idle?.history.every((h) => h.lagSeconds === 0 || h.at < 30_000)).toBe(true);
  });

  it('turns a group STOP when its consumer leaves while events keep coming', () => {
    const t = tracker();
    for (let i = 0; i < 4; i++) t.record({ at: i * 1000, groups: [group('g', 10 * i, 10 * i)] });
    expect(t.reportOf('g', 3000)?.status).toBe('OK');
    for (let i = 4; i < 12; i++) t.record({ at: i * 1000, groups: [group('g', 30, 10 * i, 0)] });
    const stopped = t.reportOf('g', 11_000);
    expect(stopped?.status).toBe('STOP');
    expect(stopped?.lag).toBe(80);
    expect(stopped?.trend.direction).toBe('rising');
    expect(stopped?.trend.secondsToClear).toBeNull();
    expect(stopped?.reason).toContain('t/0');
  });

  it('escalates on the per-group threshold in seconds', () => {
    const t = tracker();
    t.record({ at: 0, groups: [group('tight', 0, 0), group('loose', 0, 0)] });
    t.record({ at: 1000, groups: [group('tight', 1, 10), group('loose', 1, 10)] });
    t.record({ at: 2000, groups: [group('tight', 5, 10), group('loose', 5, 10)] });
    const tight = t.reportOf('tight', 9000);
    expect(tight?.status).toBe('ERR');
    expect(tight?.breached).toBe('error');
    expect(t.reportOf('loose', 9000)?.status).toBe('OK');
  });

  it('reports a group the source could not read as ERR with the reason', () => {
    const t = tracker();
    t.record({
      at: 0,
      groups: [{ group: 'gone', state: 'Dead', members: 0, partitions: [], error: 'not found' }],
    });
    expect(t.report(0)).toMatchObject([{ group: 'gone', status: 'ERR', reason: 'not found' }]);
  });

  it('forgets groups and partitions that disappear', () => {
    const t = tracker();
    t.record({ at: 0, groups: [group('a', 0, 0), group('b', 0, 0)] });
    t.record({ at: 1, groups: [group('a', 0, 0, 1, { partitions: [] })] });
    expect(t.report(1).map((g) => g.group)).toEqual(['a']);
    expect(t.reportOf('a', 1)?.partitions).toEqual([]);
  });

  it('adds business-time lag from the sync progress, 0 once caught up', () => {
    const t = tracker();
    t.record({ at: 100_000, groups: [group('g', 5, 10)] });
    t.recordProgress({
      group: 'g',
      topic: 't',
      partition: 0,
      offset: '5',
      lastOccurredAt: new Date(40_000).toISOString(),
      lastRecordedAt: null,
      appliedAt: new Date(99_000).toISOString(),
      applied: 5,
      skipped: 0,
      deadLettered: 0,
    });
    expect(t.reportOf('g', 100_000)?.businessLagSeconds).toBe(60);
    expect(t.reportOf('g', 100_000)?.partitions[0]?.lastAppliedAt).toBe(
      new Date(99_000).toISOString(),
    );
    t.record({ at: 110_000, groups: [group('g', 10, 10)] });
    expect(t.reportOf('g', 110_000)?.businessLagSeconds).toBe(0);
    expect(t.reportOf('other', 0)).toBeUndefined();
  });

  it('measures a never-committed partition from the log start', () => {
    const t = tracker();
    t.record({ at: 0, groups: [group('g', null, 7)] });
    expect(t.reportOf('g', 0)?.lag).toBe(7);
    expect(t.reportOf('g', 0)?.partitions[0]?.committed).toBeNull();
  });
});
