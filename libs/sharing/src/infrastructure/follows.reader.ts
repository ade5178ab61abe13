import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { FOLLOWS_PARTITIONS, parseFollowChange, type Sector } from '@bus/contracts';
import {
  BusError,
  offsetAfter,
  PartitionBatchLoop,
  type BatchCommitted,
  type PartitionBatch,
} from '@bus/platform';
import type { ShareRouterConfig } from '../application/share-router.config';
import type { FollowLists } from '../domain/follow-lists';

export interface FollowFill {
  readonly sector: Sector;
  readonly personalId: string;
}

/** New follows of one batch, to fill in one transaction with the batch's next offset. */
export interface FillBatch {
  readonly topic: string;
  readonly partition: number;
  readonly fills: readonly FollowFill[];
  readonly nextOffset: string;
}

/**
 * Reads the compacted follow-list topic into the router's FollowLists, on the bus's one
 * consumer loop. Its group never commits, so every boot reads the topic from the start: the
 * sets are rebuilt from the last change per recipient and citizen. Which follows were
 * already filled is the offset of a second group (`filledGroupId`), committed in the same
 * Kafka transaction as the fills (`fill`), so a follow is filled once: records before it
 * only rebuild the sets, records after it are new follows.
 */
export class FollowsReader {
  private readonly loop: PartitionBatchLoop;
  /** Per partition: the first offset not filled yet. */
  private readonly fillFrom = new Map<number, bigint>();
  /** Per partition: the end offset read at boot, which the sets must reach before routing. */
  private readonly ends = new Map<number, bigint>();
  private readonly reached = new Map<number, bigint>();
  private loaded = false;
  private onLoaded: () => void = () => undefined;
  private readonly whenLoaded = new Promise<void>((resolve) => (this.onLoaded = resolve));

  constructor(
    private readonly config: ShareRouterConfig,
    kafka: Kafka,
    private readonly lists: FollowLists,
    private readonly fill: (batch: FillBatch) => Promise<void>,
    private readonly logger: Logger,
    private readonly onInvalid: () => void = () => undefined,
  ) {
    this.loop = new PartitionBatchLoop(
      {
        kafka,
        groupId: config.followsGroupId,
        topics: [config.followsTopic],
        // The router may boot before any sector created it.
        owns: [
          {
            topic: config.followsTopic,
            numPartitions: FOLLOWS_PARTITIONS,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
        logger,
        backoff: { initialMs: 250, maxMs: 15_000 },
        consumer: { readUncommitted: false, maxWaitTimeInMs: 500 },
      },
      {
        prepare: (admin) => this.prepare(admin),
        // After a rejoin in the same process (the group never commits), go on from where
        // the sets are rather than replay old changes over newer ones; from the first
        // follow not filled yet if a fill failed before the rejoin.
        positionFor: async ({ partition }) => {
          const reached = this.reached.get(partition);
          const fillFrom = this.fillFrom.get(partition);
          if (reached === undefined || fillFrom === undefined) return undefined;
          return (fillFrom < reached ? fillFrom : reached).toString();
        },
        commit: (batch) => this.commit(batch),
      },
    );
  }

  get state(): string {
    return this.loaded ? this.loop.state : 'loading follows';
  }

  get failedAttempts(): number {
    return this.loop.failedAttempts;
  }

  get lastError(): { readonly message: string; readonly at: string } | null {
    return this.loop.lastError;
  }

  /** Starts reading; resolves once every partition reached its end offset read at boot. */
  async load(): Promise<void> {
    void this.loop.start().catch(() => undefined);
    await this.whenLoaded;
  }

  async stop(): Promise<void> {
    this.onLoaded();
    await this.loop.stop();
  }

  private async prepare(admin: Admin): Promise<void> {
    const { followsTopic, filledGroupId } = this.config;
    const offsets = await admin.fetchTopicOffsets(followsTopic);
    const [filled] = await admin.fetchOffsets({ groupId: filledGroupId, topics: [followsTopic] });
    for (const { partition, low, high } of offsets) {
      const committed = filled?.partitions.find((p) => p.partition === partition)?.offset;
      // Never filled (a new router): every follow still on the topic gets its fill. An
      // offset below the log start (its records compacted away) starts at the log start.
      const filledUpTo = BigInt(committed && committed !== '-1' ? committed : low);
      this.fillFrom.set(partition, filledUpTo < BigInt(low) ? BigInt(low) : filledUpTo);
      this.ends.set(partition, BigInt(high));
      if (!this.reached.has(partition)) this.reached.set(partition, BigInt(low));
    }
    this.checkLoaded();
  }

  private async commit(batch: PartitionBatch): Promise<BatchCommitted> {
    const fillFrom = this.fillFrom.get(batch.partition) ?? 0n;
    const fills = new Map<string, FollowFill>();
    for (const message of batch.messages) {
      let change;
      try {
        change = parseFollowChange(message.value?.toString('utf8') ?? '');
      } catch (error) {
        // Not a follow: it changes no list. Only the reason's own words are logged: the
        // parser's cause would quote the record, which may hold personal data.
        this.onInvalid();
        const reason = error instanceof BusError ? `${error.code}: ${error.message}` : 'unreadable';
        const at = { partition: batch.partition, offset: message.offset, reason };
        this.logger.warn(at, 'skipped a record of the follows topic that is no follow change');
        continue;
      }
      const sector = this.lists.apply(change);
      if (sector === null || BigInt(message.offset) < fillFrom) continue;
      const key = `${sector}/${change.personalId}`;
      // Only the last change per key counts: a follow then an unfollow fills nothing.
      if (change.following) fills.set(key, { sector, personalId: change.personalId });
      else fills.delete(key);
    }
    const nextOffset = offsetAfter(batch.lastOffset);
    // The sets hold the batch already: routing may start even while a fill keeps failing
    // (the national API down), and the fill is retried with the batch.
    this.reached.set(batch.partition, BigInt(nextOffset));
    this.checkLoaded();
    if (BigInt(nextOffset) > fillFrom) {
      await this.fill({
        topic: batch.topic,
        partition: batch.partition,
        fills: [...fills.values()],
        nextOffset,
      });
      this.fillFrom.set(batch.partition, BigInt(nextOffset));
    }
    return {};
  }

  private checkLoaded(): void {
    if (this.loaded) return;
    for (const [partition, end] of this.ends) {
      if ((this.reached.get(partition) ?? 0n) < end) return;
    }
    this.loaded = true;
    this.logger.info(
      Object.fromEntries(this.lists.followedSectors.map((s) => [s, this.lists.size(s)])),
      'follow-lists loaded',
    );
    this.onLoaded();
  }
}
