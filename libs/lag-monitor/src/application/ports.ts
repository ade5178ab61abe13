import type { ClusterSnapshot } from '../domain/cluster-snapshot';

export interface GroupSelection {
  /** Watch every group whose id starts with one of these. */
  readonly prefixes: readonly string[];
  /** Watch these always; report them as errors when the broker does not know them. */
  readonly expected: readonly string[];
}

export interface OffsetSource {
  snapshot(selection: GroupSelection): Promise<ClusterSnapshot>;
  /** Messages currently held in a topic (end minus start, summed), or null if it does not exist. */
  countMessages(topics: readonly string[]): Promise<Map<string, number>>;
}

export interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface OffsetRange {
  readonly partition: number;
  /** First offset to read, inclusive. */
  readonly from: number;
  /** Offset to stop before (exclusive). */
  readonly to: number;
}

export interface TopicReader {
  /** The partitions of a topic with their start and end offsets; [] when it does not exist. */
  partitions(topic: string): Promise<{ partition: number; start: number; end: number }[]>;
  read(topic: string, ranges: readonly OffsetRange[]): Promise<KafkaRecord[]>;
}

export type DecodedPayload =
  | { readonly format: 'avro'; readonly schemaId: number; readonly data: unknown }
  | { readonly format: 'json'; readonly data: unknown }
  | { readonly format: 'text'; readonly text: string }
  | {
      readonly format: 'binary';
      readonly length: number;
      readonly hex: string;
      readonly error?: string;
    }
  | { readonly format: 'empty' };

export interface PayloadDecoder {
  decode(value: Buffer | null): Promise<DecodedPayload>;
}

export interface OutgoingRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface RecordPublisher {
  publish(record: OutgoingRecord): Promise<{ partition: number; offset: number }>;
}

export interface ReplayClaim {
  readonly dltTopic: string;
  readonly dltPartition: number;
  readonly dltOffset: number;
  readonly targetTopic: string;
  readonly keyMasked: string | null;
  readonly reason: string;
  readonly replayedBy: string;
  readonly forced: boolean;
}

export interface ReplayRecord extends ReplayClaim {
  readonly id: number;
  readonly targetPartition: number | null;
  readonly targetOffset: number | null;
  readonly replayedAt: string;
}

/** The ops database's audit of replays; also the guard against replaying twice. */
export interface ReplayLedger {
  /**
   * Records the claim and runs `send` in one transaction: the audit row exists if and
   * only if the send succeeded. Returns undefined when the letter was already replayed
   * (and the claim is not forced).
   */
  replayOnce(
    claim: ReplayClaim,
    send: () => Promise<{ partition: number; offset: number }>,
  ): Promise<ReplayRecord | undefined>;
  /** Replays of the letters of one dead-letter topic, newest first. */
  replaysOf(dltTopic: string): Promise<ReplayRecord[]>;
  /** Letters replayed at least once, per dead-letter topic. */
  replayedCounts(): Promise<Map<string, number>>;
}
