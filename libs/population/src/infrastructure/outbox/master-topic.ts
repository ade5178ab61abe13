import type { Admin } from 'kafkajs';
import { ensureTopics, type Logger } from '@bus/platform';

export interface MasterTopicOptions {
  readonly topic: string;
  readonly partitions: number;
  /** Unset: the brokers' `default.replication.factor` and `min.insync.replicas`. */
  readonly replicationFactor?: number;
  /** How long a record stays uncompacted: sectors catching up within this window see every change. */
  readonly minCompactionLagMs: number;
}

/**
 * The master topic is compacted: the latest event per personal ID is kept forever (the
 * snapshot a sector rebuilds from), and every change survives at least
 * `min.compaction.lag.ms` (the change stream).
 */
export async function ensureMasterTopic(
  admin: Admin,
  options: MasterTopicOptions,
  logger?: Logger,
): Promise<void> {
  const { replicationFactor } = options;
  const counts = await ensureTopics(
    admin,
    [
      {
        topic: options.topic,
        numPartitions: options.partitions,
        ...(replicationFactor ? { replicationFactor } : {}),
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'min.compaction.lag.ms', value: String(options.minCompactionLagMs) },
          ...(replicationFactor
            ? [{ name: 'min.insync.replicas', value: String(Math.min(2, replicationFactor)) }]
            : []),
        ],
      },
    ],
    { logger },
  );
  const actual = counts.get(options.topic) ?? 0;
  if (actual !== options.partitions) {
    // Changing the count would move citizens to other partitions and break per-key order: never do it silently.
    logger?.warn(
      { topic: options.topic, configured: options.partitions, actual },
      'the master topic exists with another partition count; keeping it',
    );
  }
}
