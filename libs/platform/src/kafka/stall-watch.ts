import type { Admin } from 'kafkajs';
import type { TopicPartition } from './batch-step';

export interface PartitionLag extends TopicPartition {
  /** Records between the group's committed offset and the partition's end. */
  readonly lag: number;
}

const keyOf = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`;

/**
 * Tells a stuck stage from a slow or idle one. A partition the member owns that has lag
 * and has made no progress for `stallAfterMs` is stalled: kafkajs can be left fetching
 * nothing after a broker restart while every batch it did get succeeded, so neither the
 * failure count nor the loop's state shows it. Idle (no lag) is progress; a partition
 * paused after a failure is the failure count's business and its clock restarts.
 */
export class StallWatch {
  /** Per owned partition (by key), the partition and when it last moved. */
  private readonly progressAt = new Map<string, { readonly tp: TopicPartition; at: number }>();
  private stuck: readonly TopicPartition[] = [];

  constructor(
    readonly stallAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new assignment: every partition's clock starts now. A stall stays until progress. */
  assigned(partitions: readonly TopicPartition[]): void {
    this.progressAt.clear();
    const at = this.now();
    for (const tp of partitions) this.progressAt.set(keyOf(tp), { tp, at });
  }

  progressed(tp: TopicPartition): void {
    const key = keyOf(tp);
    const owned = this.progressAt.get(key);
    if (owned) owned.at = this.now();
    this.stuck = this.stuck.filter((s) => keyOf(s) !== key);
  }

  owned(): TopicPartition[] {
    return [...this.progressAt.values()].map(({ tp }) => tp);
  }

  get stalled(): readonly TopicPartition[] {
    return this.stuck;
  }

  /** Updates the stall from lag readings; returns the partitions that just became stalled. */
  check(lags: readonly PartitionLag[], paused: (tp: TopicPartition) => boolean): TopicPartition[] {
    const at = this.now();
    const found: TopicPartition[] = [];
    for (const reading of lags) {
      const key = keyOf(reading);
      const owned = this.progressAt.get(key);
      if (owned === undefined) continue;
      const { tp } = owned;
      if (reading.lag <= 0 || paused(tp)) {
        this.progressed(tp);
        continue;
      }
      if (at - owned.at >= this.stallAfterMs && !this.stuck.some((s) => keyOf(s) === key)) {
        found.push(tp);
      }
    }
    this.stuck = [...this.stuck, ...found];
    return found;
  }
}

/** The group's lag on the given partitions, from the broker (committed offsets vs ends). */
export async function groupLag(
  admin: Admin,
  groupId: string,
  partitions: readonly TopicPartition[],
): Promise<PartitionLag[]> {
  const topics = [...new Set(partitions.map((tp) => tp.topic))];
  const lags: PartitionLag[] = [];
  const committed = await admin.fetchOffsets({ groupId, topics });
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const offsets = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      if (!partitions.some((tp) => tp.topic === topic && tp.partition === end.partition)) continue;
      const at = offsets.find((o) => o.partition === end.partition)?.offset ?? '-1';
      const from = at === '-1' ? end.low : at;
      lags.push({ topic, partition: end.partition, lag: Number(BigInt(end.high) - BigInt(from)) });
    }
  }
  return lags;
}
