/** Counts per partition since the service started, reported in `ops.sync-progress`. */
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
