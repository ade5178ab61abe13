import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { ErrorCode, TransientError } from '@bus/platform';
import { type BatchContribution, GroupCommit, transactionalProducer } from './group-commit';

interface Owned {
  readonly producer: Producer;
  readonly commits: GroupCommit;
}

/**
 * One transactional producer per master partition, with an id that names the partition,
 * not the instance: `<group>.partition.<n>`. Kafka's exactly-once for a consumer group that
 * rebalances (KIP-447) needs the consumer's generation in TxnOffsetCommit (v3), which kafkajs
 * 2.2.4 does not send (it speaks v0–v1), so a router that lost a partition could still commit
 * records and offsets for it. With an id per partition, the instance that takes a partition
 * over initialises that id first: Kafka bumps its epoch, which fences the old owner's producer
 * for good and completes or aborts the transaction it left open; only then does the new owner
 * read the group's committed offset (`claim`, then the engine's position). The price is one
 * transaction per partition batch instead of one per fetch (measured in docs/benchmarks.md).
 */
export class PartitionProducers {
  private readonly owned = new Map<number, Owned>();

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly logger: Logger,
  ) {}

  static transactionalId(groupId: string, partition: number): string {
    return `${groupId}.partition.${partition}`;
  }

  /** Fences any other holder of the partition's id; a no-op while this instance holds it. */
  async claim(partition: number): Promise<void> {
    if (this.owned.has(partition)) return;
    const id = PartitionProducers.transactionalId(this.groupId, partition);
    const producer = await transactionalProducer(this.kafka, id);
    this.owned.set(partition, { producer, commits: new GroupCommit(() => producer, this.groupId) });
  }

  /**
   * Commits the batch's records and next offset in one transaction of the partition's
   * producer. Any failure drops the producer (fenced, stuck in ABORTING, or unsure): the
   * next claim makes a new one, which fences whoever holds the id now and lets the engine
   * read the committed offset again, so a retry never routes from a stale position.
   */
  async submit(partition: number, contribution: BatchContribution): Promise<void> {
    const owned = this.owned.get(partition);
    if (!owned) {
      throw new TransientError(
        ErrorCode.ROUTE_FAILED,
        `partition ${partition} has no producer: it is claimed before its first batch`,
      );
    }
    try {
      await owned.commits.submit(contribution);
    } catch (error) {
      this.owned.delete(partition);
      this.logger.warn(
        { err: error, partition },
        'partition transaction failed; its producer is replaced before the retry',
      );
      await owned.producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** Closes the producers of partitions this instance no longer owns. */
  async keepOnly(partitions: readonly number[]): Promise<void> {
    const keep = new Set(partitions);
    const lost = [...this.owned].filter(([partition]) => !keep.has(partition));
    for (const [partition] of lost) this.owned.delete(partition);
    await Promise.all(lost.map(([, { producer }]) => producer.disconnect().catch(() => undefined)));
  }

  async closeAll(): Promise<void> {
    await this.keepOnly([]);
  }
}
