/** The pinned `ops.sync-progress` value (docs/conventions.md, "Sync progress"). */
export interface SyncProgress {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read. */
  readonly offset: string;
  readonly lastOccurredAt: string | null;
  readonly lastRecordedAt: string | null;
  readonly appliedAt: string;
  readonly applied: number;
  readonly skipped: number;
  readonly deadLettered: number;
}

export const syncProgressKey = (group: string, topic: string, partition: number): string =>
  `${group}/${topic}/${partition}`;

export interface PartitionTally {
  applied: number;
  skipped: number;
  deadLettered: number;
  lastOccurredAt: string | null;
  lastRecordedAt: string | null;
}

export const emptyTally = (): PartitionTally => ({
  applied: 0,
  skipped: 0,
  deadLettered: 0,
  lastOccurredAt: null,
  lastRecordedAt: null,
});
