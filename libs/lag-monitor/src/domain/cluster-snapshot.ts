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
