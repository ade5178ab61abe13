/** What one poll of the broker saw; produced by an offset source, consumed by the tracker. */
export interface PartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  /** Next offset the group will read; null when it never committed on this partition. */
  readonly committed: number | null;
  /** Log start (low watermark) and end (high watermark) of the partition. */
  readonly start: number;
  readonly end: number;
}

export interface GroupOffsets {
  readonly group: string;
  /** Kafka's group state: Stable, Empty, PreparingRebalance, Dead, ... or Unknown. */
  readonly state: string;
  readonly members: number;
  readonly partitions: readonly PartitionOffsets[];
  /** Set when the group could not be read (or was expected but does not exist). */
  readonly error?: string;
}

export interface ClusterSnapshot {
  readonly at: number;
  readonly groups: readonly GroupOffsets[];
}

/** The `ops.sync-progress` record of one partition, as the sync services publish it. */
export interface SyncProgress {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly lastOccurredAt: string | null;
  readonly lastRecordedAt: string | null;
  readonly appliedAt: string;
  readonly applied: number;
  readonly skipped: number;
  readonly deadLettered: number;
}

export function progressKey(group: string, topic: string, partition: number): string {
  return `${group}/${topic}/${partition}`;
}
