import type { LagStatus } from './lag-status';
import type { LagThreshold } from './thresholds';
import type { LagTrend } from './trend';

export interface HistoryPoint {
  readonly at: number;
  readonly lag: number;
  readonly lagSeconds: number;
}

export interface PartitionReport {
  readonly topic: string;
  readonly partition: number;
  readonly committed: number | null;
  readonly start: number;
  readonly end: number;
  readonly lag: number;
  readonly lagSeconds: number;
  /** Now minus the occurredAt of the last applied event (0 when caught up); null if unreported. */
  readonly businessLagSeconds: number | null;
  readonly lastOccurredAt: string | null;
  readonly lastAppliedAt: string | null;
  readonly status: LagStatus;
  readonly reason: string;
  readonly trend: LagTrend;
  readonly history: readonly HistoryPoint[];
}

export interface GroupReport {
  readonly group: string;
  readonly state: string;
  readonly members: number;
  readonly status: LagStatus;
  readonly reason: string;
  readonly lag: number;
  readonly lagSeconds: number;
  readonly businessLagSeconds: number | null;
  readonly trend: LagTrend;
  readonly threshold: LagThreshold;
  readonly breached: 'none' | 'warn' | 'error';
  readonly topics: readonly string[];
  readonly partitions: readonly PartitionReport[];
  readonly history: readonly HistoryPoint[];
  readonly updatedAt: number;
}
