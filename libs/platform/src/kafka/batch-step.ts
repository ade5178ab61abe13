import type { Admin, KafkaMessage } from 'kafkajs';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** One fetched batch of one partition, as the engine's commit step sees it. */
export interface PartitionBatch extends TopicPartition {
  /** Empty when the fetch held only transaction markers or aborted records. */
  readonly messages: readonly KafkaMessage[];
  /** Offset of the batch's last record (the next offset is this + 1). */
  readonly lastOffset: string;
}

export interface BatchCommitted {
  /**
   * The next offset to commit to the consumer group after the step, when the step did not
   * commit it itself (a Kafka transaction's sendOffsets does).
   */
  readonly groupOffset?: string;
}

/**
 * What an engine adds to the loop: its own commit step (a PostgreSQL transaction, a Kafka
 * transaction) and the hooks around it. Everything else (boot, topics, pause, resume,
 * heartbeats, stop) is the loop's.
 */
export interface BatchLoopStep {
  /** Runs once before Kafka is touched (migrations); a transient failure is retried. */
  init?(signal: AbortSignal): Promise<void>;
  /**
   * Runs on every boot attempt once the loop's topics exist, before the consumer joins:
   * producers, output topics, a rebuild.
   */
  prepare?(admin: Admin): Promise<void>;
  /**
   * The offset a partition must start from after each group join and after each failed
   * batch, when the engine keeps positions itself; undefined keeps the fetch position.
   */
  positionFor?(tp: TopicPartition, admin: Admin): Promise<string | undefined>;
  /** The partitions this member owns after each group join (to release what it lost). */
  assigned?(partitions: readonly TopicPartition[]): void;
  /**
   * Commits one batch for good or throws. Throwing leaves the offset unresolved: the
   * partition is paused and the same records are fetched again after a backoff.
   */
  commit(batch: PartitionBatch): Promise<BatchCommitted>;
  /** Closes the step's own clients when the loop stops or a boot attempt is abandoned. */
  close?(): Promise<void>;
}
