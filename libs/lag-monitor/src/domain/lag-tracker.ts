import { syncProgressKey as progressKey, type SyncProgress } from '@bus/contracts/pure';
import type { ClusterSnapshot, GroupOffsets } from './cluster-snapshot';
import type { GroupReport, HistoryPoint, PartitionReport } from './lag-report';
import { evaluatePartition, severityOf, worstStatus, type OffsetSample } from './lag-status';
import { applyThreshold, thresholdFor, type ThresholdTable } from './thresholds';
import { EndOffsetTable, lagSeconds } from './time-lag';
import { lagTrend } from './trend';

export interface LagTrackerOptions {
  /** Samples kept per group and partition for Burrow's rules (Burrow's default is 10). */
  readonly windowSize: number;
  /** (end offset, time) points kept per partition for the lag in seconds. */
  readonly tableSize: number;
  /** Points of history kept for the sparklines. */
  readonly historySize: number;
  readonly thresholds: ThresholdTable;
}

interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  window: OffsetSample[];
  history: HistoryPoint[];
  lastMovedAt: number;
  start: number;
}

interface GroupState {
  offsets: GroupOffsets;
  readonly partitions: Map<string, PartitionState>;
  history: HistoryPoint[];
  at: number;
}

const bounded = <T>(items: T[], item: T, limit: number): T[] => {
  const next = [...items, item];
  return next.length > limit ? next.slice(next.length - limit) : next;
};

/**
 * Holds the sliding windows and time tables between polls and turns them into
 * reports. Pure state: the caller brings the snapshots and the clock.
 */
export class LagTracker {
  private readonly tables = new Map<string, EndOffsetTable>();
  private readonly groups = new Map<string, GroupState>();
  private readonly progress = new Map<string, SyncProgress>();

  constructor(private readonly options: LagTrackerOptions) {}

  record(snapshot: ClusterSnapshot): void {
    const { at } = snapshot;
    const seenTables = new Set<string>();
    const seenGroups = new Set<string>();
    for (const offsets of snapshot.groups) {
      seenGroups.add(offsets.group);
      const state = this.groups.get(offsets.group) ?? {
        offsets,
        partitions: new Map<string, PartitionState>(),
        history: [],
        at,
      };
      state.offsets = offsets;
      state.at = at;
      const seenPartitions = new Set<string>();
      let totalLag = 0;
      let maxSeconds = 0;
      for (const p of offsets.partitions) {
        const id = `${p.topic}/${p.partition}`;
        seenPartitions.add(id);
        const table = this.tableFor(id);
        if (!seenTables.has(id)) {
          table.add({ offset: p.end, at });
          seenTables.add(id);
        }
        const position = p.committed ?? p.start;
        const lag = Math.max(0, p.end - position);
        const seconds = lag === 0 ? 0 : lagSeconds(table, position, at);
        const partition = state.partitions.get(id) ?? {
          topic: p.topic,
          partition: p.partition,
          window: [],
          history: [],
          lastMovedAt: at,
          start: p.start,
        };
        const previous = partition.window.at(-1);
        if (previous && previous.committed !== p.committed) partition.lastMovedAt = at;
        partition.start = p.start;
        partition.window = bounded(
          partition.window,
          { at, committed: p.committed, end: p.end, lag },
          this.options.windowSize,
        );
        partition.history = bounded(
          partition.history,
          { at, lag, lagSeconds: seconds },
          this.options.historySize,
        );
        state.partitions.set(id, partition);
        totalLag += lag;
        maxSeconds = Math.max(maxSeconds, seconds);
      }
      for (const id of state.partitions.keys()) {
        if (!seenPartitions.has(id)) state.partitions.delete(id);
      }
      state.history = bounded(
        state.history,
        { at, lag: totalLag, lagSeconds: maxSeconds },
        this.options.historySize,
      );
      this.groups.set(offsets.group, state);
    }
    for (const group of this.groups.keys()) {
      if (!seenGroups.has(group)) this.groups.delete(group);
    }
  }

  recordProgress(progress: SyncProgress): void {
    this.progress.set(progressKey(progress.group, progress.topic, progress.partition), progress);
  }

  report(now: number): GroupReport[] {
    return [...this.groups.values()]
      .map((state) => this.groupReport(state, now))
      .sort((a, b) => a.group.localeCompare(b.group));
  }

  reportOf(group: string, now: number): GroupReport | undefined {
    const state = this.groups.get(group);
    return state ? this.groupReport(state, now) : undefined;
  }

  private tableFor(id: string): EndOffsetTable {
    let table = this.tables.get(id);
    if (!table) {
      table = new EndOffsetTable(this.options.tableSize);
      this.tables.set(id, table);
    }
    return table;
  }

  private groupReport(state: GroupState, now: number): GroupReport {
    const { offsets } = state;
    const hasMembers = offsets.members > 0;
    const threshold = thresholdFor(this.options.thresholds, offsets.group);
    const partitions = [...state.partitions.values()]
      .map((p) => this.partitionReport(offsets.group, p, now, hasMembers))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const lag = partitions.reduce((sum, p) => sum + p.lag, 0);
    const seconds = partitions.reduce((max, p) => Math.max(max, p.lagSeconds), 0);
    const business = partitions
      .map((p) => p.businessLagSeconds)
      .filter((s): s is number => s !== null);
    const worst = partitions.reduce<PartitionReport | undefined>(
      (w, p) => (!w || severityOf(p.status) > severityOf(w.status) ? p : w),
      undefined,
    );
    let status = worstStatus(partitions.map((p) => p.status));
    let reason =
      worst && status !== 'OK'
        ? `${worst.topic}/${worst.partition}: ${worst.reason}`
        : 'all partitions OK';
    if (offsets.error) {
      status = 'ERR';
      reason = offsets.error;
    }
    const escalated = applyThreshold(status, seconds, threshold);
    if (escalated.status !== status) {
      reason = `lag ${Math.round(seconds)} s is over the ${escalated.breached === 'error' ? 'error' : 'warning'} threshold of ${escalated.breached === 'error' ? threshold.errorSeconds : threshold.warnSeconds} s`;
    }
    return {
      group: offsets.group,
      state: offsets.state,
      members: offsets.members,
      status: escalated.status,
      reason,
      lag,
      lagSeconds: seconds,
      businessLagSeconds: business.length > 0 ? Math.max(...business) : null,
      trend: lagTrend(groupWindow(state, this.options.windowSize)),
      threshold,
      breached: escalated.breached,
      topics: [...new Set(partitions.map((p) => p.topic))].sort(),
      partitions,
      history: state.history,
      updatedAt: state.at,
    };
  }

  private partitionReport(
    group: string,
    p: PartitionState,
    now: number,
    hasMembers: boolean,
  ): PartitionReport {
    const latest = p.window.at(-1) as OffsetSample;
    const evaluation = evaluatePartition(p.window, { now, lastMovedAt: p.lastMovedAt, hasMembers });
    const table = this.tables.get(`${p.topic}/${p.partition}`);
    const position = latest.committed ?? p.start;
    const seconds = latest.lag === 0 || !table ? 0 : lagSeconds(table, position, now);
    const progress = this.progress.get(progressKey(group, p.topic, p.partition));
    const occurred = progress?.lastOccurredAt ? Date.parse(progress.lastOccurredAt) : undefined;
    let business: number | null = null;
    if (progress) {
      // Caught up means nothing is waiting: business time stands still, like lag seconds.
      business =
        latest.lag === 0 || occurred === undefined ? 0 : Math.max(0, (now - occurred) / 1000);
    }
    return {
      topic: p.topic,
      partition: p.partition,
      committed: latest.committed,
      start: p.start,
      end: latest.end,
      lag: latest.lag,
      lagSeconds: seconds,
      businessLagSeconds: business,
      lastOccurredAt: progress?.lastOccurredAt ?? null,
      lastAppliedAt: progress?.appliedAt ?? null,
      status: evaluation.status,
      reason: evaluation.reason,
      trend: lagTrend(p.window),
      history: p.history,
    };
  }
}

/** The group's partitions summed per poll: one window for the group-level trend. */
function groupWindow(state: GroupState, size: number): OffsetSample[] {
  const byAt = new Map<number, { committed: number; end: number; lag: number }>();
  for (const p of state.partitions.values()) {
    for (const s of p.window) {
      const sum = byAt.get(s.at) ?? { committed: 0, end: 0, lag: 0 };
      sum.committed += s.committed ?? p.start;
      sum.end += s.end;
      sum.lag += s.lag;
      byAt.set(s.at, sum);
    }
  }
  return [...byAt.entries()]
    .sort(([a], [b]) => a - b)
    .slice(-size)
    .map(([at, s]) => ({ at, ...s }));
}
