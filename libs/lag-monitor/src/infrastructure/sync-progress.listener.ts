import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { PartitionBatchLoop, type Logger, type PartitionBatch } from '@bus/platform';
import { parseSyncProgress, type SyncProgress } from '@bus/contracts';

/**
 * Follows the compacted `ops.sync-progress` topic from the beginning (the latest record
 * per partition is all that matters) on the bus's consumer loop, without committing, so
 * every console instance rebuilds the same view and leaves no offsets behind.
 */
export class SyncProgressListener {
  private readonly loop: PartitionBatchLoop;

  constructor(
    kafka: Kafka,
    topic: string,
    private readonly onProgress: (progress: SyncProgress) => void,
    private readonly logger: Logger,
  ) {
    this.loop = new PartitionBatchLoop(
      {
        kafka,
        groupId: `ops-console.progress.${randomUUID()}`,
        topics: [topic],
        // Created here if missing so the broker's auto-creation cannot make it uncompacted.
        owns: [
          {
            topic,
            numPartitions: 1,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
        logger,
        backoff: { initialMs: 250, maxMs: 15_000 },
      },
      { commit: async (batch) => this.read(batch) },
    );
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** An unreadable record is skipped: progress is advisory, the next record replaces it. */
  private read(batch: PartitionBatch): { groupOffset?: string } {
    for (const message of batch.messages) {
      if (!message.value) continue;
      try {
        this.onProgress(parseSyncProgress(message.value.toString('utf8')));
      } catch (error) {
        this.logger.warn(
          { topic: batch.topic, partition: batch.partition, offset: message.offset, err: error },
          'unreadable sync progress record ignored',
        );
      }
    }
    return {};
  }
}
