import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { ensureTopics, type Logger } from '@bus/platform';
import type { SyncProgress } from '@bus/contracts';
import { parseSyncProgress } from '@bus/contracts';

/**
 * Follows the compacted `ops.sync-progress` topic from the beginning (the latest record
 * per partition is all that matters) without committing, so every console instance
 * rebuilds the same view and leaves no group behind.
 */
export class SyncProgressListener {
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly topic: string,
    private readonly onProgress: (progress: SyncProgress) => void,
    private readonly logger?: Logger,
  ) {}

  async start(): Promise<void> {
    // Created here if missing so the broker's auto-creation cannot make it uncompacted.
    await ensureTopics(
      this.admin,
      [
        {
          topic: this.topic,
          numPartitions: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
      { logger: this.logger },
    );
    const consumer = this.kafka.consumer({ groupId: `ops-console.progress.${randomUUID()}` });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message, partition }) => {
        if (!message.value) return;
        try {
          this.onProgress(parseSyncProgress(message.value.toString('utf8')));
        } catch (error) {
          this.logger?.warn(
            { topic: this.topic, partition, offset: message.offset, err: error },
            'unreadable sync progress record ignored',
          );
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
