import {
  ConflictError,
  ErrorCode,
  type Logger,
  maskPersonalId,
  NotFoundError,
  ValidationError,
} from '@bus/platform';
import { deadLetterTopicFor, readDeadLetterHeaders } from '@bus/contracts';
import { replayHeaders } from '../domain/dead-letter';
import type { DeadLetterOrigin } from '@bus/contracts';
import { maskPersonalData } from '../domain/personal-data-mask';
import type {
  DecodedPayload,
  KafkaRecord,
  PayloadDecoder,
  RecordPublisher,
  ReplayLedger,
  ReplayRecord,
  TopicReader,
} from './ports';

export interface DeadLetterView extends DeadLetterOrigin {
  readonly dltTopic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: string;
  readonly key: string | null;
  readonly payload: DecodedPayload;
  /** The original headers the letter carries, besides the dlt.* ones. */
  readonly headers: Readonly<Record<string, string>>;
  readonly masked: boolean;
  readonly replays: readonly Pick<ReplayRecord, 'replayedAt' | 'replayedBy' | 'targetOffset'>[];
}

export interface DeadLetterList {
  readonly group: string;
  readonly sector: string | null;
  readonly topic: string;
  /** Letters held in the topic; `letters` holds the newest `limit` of them. */
  readonly total: number;
  readonly letters: readonly DeadLetterView[];
}

export interface ReplayOutcome {
  readonly replayed: readonly ReplayRecord[];
  readonly skipped: readonly { partition: number; offset: number; code: string; reason: string }[];
}

export interface DeadLetterServiceOptions {
  readonly sectors: Readonly<Record<string, string>>;
  readonly listLimit: number;
}

const GROUP_ID = /^[A-Za-z0-9._-]{1,200}$/;

/** Lists, decodes, masks and replays the letters of `<group>.dlt` topics. */
export class DeadLetterService {
  constructor(
    private readonly reader: TopicReader,
    private readonly decoder: PayloadDecoder,
    private readonly publisher: RecordPublisher,
    private readonly ledger: ReplayLedger,
    private readonly options: DeadLetterServiceOptions,
    private readonly logger?: Logger,
  ) {}

  /** A sector name (bhyt) or a consumer group id (bus.sync-bhyt). */
  resolve(target: string): { group: string; sector: string | null; topic: string } {
    const bySector = this.options.sectors[target];
    const group = bySector ?? target;
    if (!GROUP_ID.test(group)) {
      throw new ValidationError(
        ErrorCode.DLQ_TARGET_INVALID,
        `"${target}" is not a sector or group id`,
        {
          fields: [{ path: 'group', message: 'letters, digits, ".", "_" or "-"' }],
        },
      );
    }
    const sector =
      bySector !== undefined
        ? target
        : (Object.entries(this.options.sectors).find(([, g]) => g === group)?.[0] ?? null);
    return { group, sector, topic: deadLetterTopicFor(group) };
  }

  async list(
    target: string,
    { limit, reveal = false, by }: { limit?: number; reveal?: boolean; by?: string } = {},
  ): Promise<DeadLetterList> {
    const { group, sector, topic } = this.resolve(target);
    if (reveal) {
      // Unmasked personal data is processing that must be attributable (Law 91/2025).
      const who = requireOperator(by);
      this.logger?.info({ topic, by: who }, 'dead letters shown unmasked');
    }
    const max = Math.min(limit ?? this.options.listLimit, this.options.listLimit);
    const partitions = await this.reader.partitions(topic);
    const total = partitions.reduce((sum, p) => sum + (p.end - p.start), 0);
    const ranges = partitions
      .filter((p) => p.end > p.start)
      .map((p) => ({ partition: p.partition, from: Math.max(p.start, p.end - max), to: p.end }));
    const records = ranges.length > 0 ? await this.reader.read(topic, ranges) : [];
    const replays = groupReplays(await this.ledger.replaysOf(topic));
    const newest = records
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || b.offset - a.offset)
      .slice(0, max);
    const letters = await Promise.all(newest.map((r) => this.view(r, !reveal, replays)));
    return { group, sector, topic, total, letters };
  }

  async replayOne(
    target: string,
    partition: number,
    offset: number,
    by: string | undefined,
    force = false,
  ): Promise<ReplayRecord> {
    const operator = requireOperator(by);
    const { topic } = this.resolve(target);
    const held = (await this.reader.partitions(topic)).find((p) => p.partition === partition);
    const inRange = held !== undefined && offset >= held.start && offset < held.end;
    const [record] = inRange
      ? await this.reader.read(topic, [{ partition, from: offset, to: offset + 1 }])
      : [];
    if (!record || record.offset !== offset) {
      throw new NotFoundError(
        ErrorCode.DEAD_LETTER_NOT_FOUND,
        `No letter at ${topic}/${partition}/${offset}`,
        {
          details: { topic, partition, offset },
        },
      );
    }
    const result = await this.replayRecord(record, operator, force);
    if ('code' in result) {
      if (result.code === ErrorCode.DEAD_LETTER_ALREADY_REPLAYED) {
        throw new ConflictError(result.code, result.reason, {
          details: { topic, partition, offset },
        });
      }
      throw new ValidationError(result.code, result.reason, {
        details: { topic, partition, offset },
      });
    }
    return result;
  }

  /** Replays every letter not replayed yet; already replayed ones are skipped, not resent. */
  async replayAll(target: string, by: string | undefined): Promise<ReplayOutcome> {
    const operator = requireOperator(by);
    const { topic } = this.resolve(target);
    const partitions = await this.reader.partitions(topic);
    const ranges = partitions
      .filter((p) => p.end > p.start)
      .map((p) => ({ partition: p.partition, from: p.start, to: p.end }));
    const records = ranges.length > 0 ? await this.reader.read(topic, ranges) : [];
    const replayed: ReplayRecord[] = [];
    const skipped: { partition: number; offset: number; code: string; reason: string }[] = [];
    for (const record of records.sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
      const result = await this.replayRecord(record, operator, false);
      if ('code' in result)
        skipped.push({ partition: record.partition, offset: record.offset, ...result });
      else replayed.push(result);
    }
    return { replayed, skipped };
  }

  async history(target: string): Promise<ReplayRecord[]> {
    return this.ledger.replaysOf(this.resolve(target).topic);
  }

  private async replayRecord(
    record: KafkaRecord,
    by: string,
    forced: boolean,
  ): Promise<ReplayRecord | { code: string; reason: string }> {
    const origin = readDeadLetterHeaders(record.headers);
    const targetTopic = origin.originalTopic;
    if (!targetTopic) {
      return {
        code: ErrorCode.DEAD_LETTER_NO_ORIGIN,
        reason: 'the letter has no dlt.original.topic header',
      };
    }
    const targetPartitions = await this.reader.partitions(targetTopic);
    if (targetPartitions.length === 0) {
      return {
        code: ErrorCode.DEAD_LETTER_ORIGIN_GONE,
        reason: `topic ${targetTopic} does not exist`,
      };
    }
    // Back to the partition it came from, so it queues behind the same key's events.
    const partition =
      origin.originalPartition !== null &&
      targetPartitions.some((p) => p.partition === origin.originalPartition)
        ? origin.originalPartition
        : undefined;
    const at = new Date().toISOString();
    const done = await this.ledger.replayOnce(
      {
        dltTopic: record.topic,
        dltPartition: record.partition,
        dltOffset: record.offset,
        targetTopic,
        keyMasked: record.key ? maskPersonalId(record.key.toString('utf8')) : null,
        reason: origin.reason,
        replayedBy: by,
        forced,
      },
      () =>
        this.publisher.publish({
          topic: targetTopic,
          ...(partition === undefined ? {} : { partition }),
          key: record.key,
          value: record.value,
          headers: replayHeaders(record.headers, {
            from: `${record.topic}/${record.partition}/${record.offset}`,
            by,
            at,
          }),
        }),
    );
    if (!done) {
      return {
        code: ErrorCode.DEAD_LETTER_ALREADY_REPLAYED,
        reason: `${record.topic}/${record.partition}/${record.offset} was already replayed`,
      };
    }
    this.logger?.info(
      {
        dlt: `${record.topic}/${record.partition}/${record.offset}`,
        targetTopic,
        by,
        reason: origin.reason,
      },
      'dead letter replayed',
    );
    return done;
  }

  private async view(
    record: KafkaRecord,
    mask: boolean,
    replays: Map<string, ReplayRecord[]>,
  ): Promise<DeadLetterView> {
    const payload = await this.decoder.decode(record.value);
    const key = record.key ? record.key.toString('utf8') : null;
    const shown: DecodedPayload =
      mask && (payload.format === 'avro' || payload.format === 'json')
        ? { ...payload, data: maskPersonalData(payload.data) }
        : mask && payload.format === 'text'
          ? { format: 'text', text: String(maskPersonalData(payload.text, 'text')) }
          : payload;
    const headers = Object.fromEntries(
      Object.entries(record.headers).filter(([name]) => !name.startsWith('dlt.')),
    );
    return {
      ...readDeadLetterHeaders(record.headers),
      dltTopic: record.topic,
      partition: record.partition,
      offset: record.offset,
      timestamp: record.timestamp,
      key: key !== null && mask ? maskPersonalId(key) : key,
      payload: shown,
      headers: mask ? (maskPersonalData(headers) as Record<string, string>) : headers,
      masked: mask,
      replays: (replays.get(`${record.partition}/${record.offset}`) ?? []).map((r) => ({
        replayedAt: r.replayedAt,
        replayedBy: r.replayedBy,
        targetOffset: r.targetOffset,
      })),
    };
  }
}

function requireOperator(by: string | undefined): string {
  const who = by?.trim();
  if (!who || who.length > 100) {
    throw new ValidationError(
      ErrorCode.OPERATOR_REQUIRED,
      'Say who you are: replays and reveals are audited',
      {
        fields: [
          { path: 'by', message: 'required, 1 to 100 characters (X-Ops-User header or "by")' },
        ],
      },
    );
  }
  return who;
}

function groupReplays(replays: readonly ReplayRecord[]): Map<string, ReplayRecord[]> {
  const map = new Map<string, ReplayRecord[]>();
  for (const r of replays) {
    const id = `${r.dltPartition}/${r.dltOffset}`;
    map.set(id, [...(map.get(id) ?? []), r]);
  }
  return map;
}
