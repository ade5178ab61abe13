import { OUTBOX_RELAY_NAME } from '../topics';

/**
 * The dead-letter contract pinned in docs/conventions.md: one place for the header
 * names, written by the sync services and the share router, read by the ops console.
 */
export const DLT_HEADERS = {
  reason: 'dlt.reason',
  message: 'dlt.message',
  originalTopic: 'dlt.original.topic',
  originalPartition: 'dlt.original.partition',
  originalOffset: 'dlt.original.offset',
  consumerGroup: 'dlt.consumer.group',
  failedAt: 'dlt.failed.at',
  /** Letters from the outbox relay: the row's `seq` (they have no Kafka origin). */
  outboxSeq: 'dlt.outbox.seq',
} as const;

export interface DeadLetterCause {
  readonly reason: string;
  readonly message: string;
}

export interface DeadLetterSource {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly group: string;
}

export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** The original headers kept as they were, then the dead-letter headers (which win on a clash). */
export function deadLetterHeaders(
  original: Readonly<Record<string, HeaderValue>> | undefined,
  source: DeadLetterSource,
  cause: DeadLetterCause,
  failedAt: Date,
): Record<string, HeaderValue> {
  return letterHeaders(original, cause, failedAt, source.group, {
    [DLT_HEADERS.originalTopic]: source.topic,
    [DLT_HEADERS.originalPartition]: String(source.partition),
    [DLT_HEADERS.originalOffset]: source.offset,
  });
}

function letterHeaders(
  original: Readonly<Record<string, HeaderValue>> | undefined,
  cause: DeadLetterCause,
  failedAt: Date,
  writer: string,
  origin: Record<string, string>,
): Record<string, HeaderValue> {
  return {
    ...(original ?? {}),
    [DLT_HEADERS.reason]: cause.reason,
    // Kafka headers have no hard limit, but a stack-trace-sized message helps nobody.
    [DLT_HEADERS.message]: cause.message.slice(0, 2_000),
    ...origin,
    [DLT_HEADERS.consumerGroup]: writer,
    [DLT_HEADERS.failedAt]: failedAt.toISOString(),
  };
}

export const deadLetterTopicFor = (group: string): string => `${group}.dlt`;

/** Where the relay puts outbox rows it cannot publish. */
export const RELAY_DEAD_LETTER_TOPIC = deadLetterTopicFor(OUTBOX_RELAY_NAME);

/**
 * An outbox row the relay could not publish. It never reached a topic, so the letter has no
 * `dlt.original.*` headers and cannot be replayed: the fix is at the source (a correction
 * command writes a new, valid change).
 */
export function outboxDeadLetterHeaders(
  original: Readonly<Record<string, HeaderValue>> | undefined,
  seq: string,
  cause: DeadLetterCause,
  failedAt: Date,
): Record<string, HeaderValue> {
  return letterHeaders(original, cause, failedAt, OUTBOX_RELAY_NAME, {
    [DLT_HEADERS.outboxSeq]: seq,
  });
}

export interface DeadLetterOrigin {
  readonly reason: string;
  readonly message: string;
  readonly originalTopic: string | null;
  readonly originalPartition: number | null;
  readonly originalOffset: number | null;
  readonly consumerGroup: string | null;
  readonly failedAt: string | null;
}

const asInt = (value: string | undefined): number | null =>
  value !== undefined && /^\d+$/.test(value) ? Number(value) : null;

/** Reads the dlt.* headers; missing ones read as null so a malformed letter still lists. */
export function readDeadLetterHeaders(headers: Readonly<Record<string, string>>): DeadLetterOrigin {
  return {
    reason: headers[DLT_HEADERS.reason] ?? 'UNKNOWN',
    message: headers[DLT_HEADERS.message] ?? '',
    originalTopic: headers[DLT_HEADERS.originalTopic] || null,
    originalPartition: asInt(headers[DLT_HEADERS.originalPartition]),
    originalOffset: asInt(headers[DLT_HEADERS.originalOffset]),
    consumerGroup: headers[DLT_HEADERS.consumerGroup] || null,
    failedAt: headers[DLT_HEADERS.failedAt] || null,
  };
}
