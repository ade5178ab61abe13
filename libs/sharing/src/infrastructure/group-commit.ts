import type { Kafka, Message, Producer } from 'kafkajs';

/** A connected transactional producer; its initialisation fences an older one with the id. */
export async function transactionalProducer(kafka: Kafka, transactionalId: string) {
  const producer = kafka.producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    // A transaction started while the coordinator still writes the previous one's markers
    // is answered CONCURRENT_TRANSACTIONS; the markers take milliseconds, so retry as
    // Java's client does (20 ms) rather than after the bus's default 200 ms.
    retry: { initialRetryTime: 20, retries: 10 },
  });
  await producer.connect();
  return producer;
}

export interface TopicMessages {
  readonly topic: string;
  readonly messages: Message[];
}

/** What one master-partition batch adds to a transaction: its output and its next offset. */
export interface BatchContribution {
  readonly topicMessages: readonly TopicMessages[];
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: string };
}

interface Waiting {
  readonly contribution: BatchContribution;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for one transactional producer: each batch submits its records and next
 * offset; everything submitted while the previous transaction was committing goes into
 * the next one. A transaction costs five round trips plus the coordinator's markers, and
 * the next one must wait for those markers (CONCURRENT_TRANSACTIONS). The follow fills
 * group their batches this way; a master partition's producer (PartitionProducers) is
 * handed one batch at a time, so there each transaction holds one batch.
 *
 * Exactly once is unchanged: a batch's records and its offset are always in the same
 * transaction, and a failed transaction fails every batch in it (each is then retried
 * from its last committed offset).
 */
export class GroupCommit {
  private queue: Waiting[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly producer: () => Producer,
    private readonly consumerGroupId: string,
    /**
     * Called when the producer's transaction state cannot be trusted any more (an abort
     * that failed leaves kafkajs in ABORTING, and every later beginTransaction fails): the
     * owner replaces the producer before the retry.
     */
    private readonly onBroken: (error: unknown) => void = () => undefined,
  ) {}

  /** Resolves once the transaction holding this batch has committed. */
  submit(contribution: BatchContribution): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ contribution, resolve, reject });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the other partitions of the same fetch, handled concurrently, join this transaction.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      try {
        await this.commit(group.map((w) => w.contribution));
        for (const waiting of group) waiting.resolve();
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
    this.running = undefined;
  }

  private async commit(contributions: readonly BatchContribution[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    const offsets = new Map<string, { partition: number; offset: string }[]>();
    for (const { topicMessages, source } of contributions) {
      for (const { topic, messages } of topicMessages) {
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        for (const message of messages) list.push(message);
      }
      const partitions = offsets.get(source.topic) ?? [];
      partitions.push({ partition: source.partition, offset: source.offset });
      offsets.set(source.topic, partitions);
    }
    let transaction: Awaited<ReturnType<Producer['transaction']>>;
    try {
      transaction = await this.producer().transaction();
    } catch (error) {
      this.onBroken(error);
      throw error;
    }
    try {
      if (byTopic.size > 0) {
        await transaction.sendBatch({
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
          acks: -1,
        });
      }
      await transaction.sendOffsets({
        consumerGroupId: this.consumerGroupId,
        topics: [...offsets].map(([topic, partitions]) => ({ topic, partitions })),
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch((abortError: unknown) => this.onBroken(abortError));
      throw error;
    }
  }
}
