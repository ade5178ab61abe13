/** Header names pinned in docs/conventions.md ("Dead-letter topics"). */
export const DLT_HEADERS = {
  reason: 'dlt.reason',
  message: 'dlt.message',
  originalTopic: 'dlt.original.topic',
  originalPartition: 'dlt.original.partition',
  originalOffset: 'dlt.original.offset',
  consumerGroup: 'dlt.consumer.group',
  failedAt: 'dlt.failed.at',
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
  return {
    ...(original ?? {}),
    [DLT_HEADERS.reason]: cause.reason,
    // Kafka headers have no hard limit, but a stack-trace-sized message helps nobody.
    [DLT_HEADERS.message]: cause.message.slice(0, 2_000),
    [DLT_HEADERS.originalTopic]: source.topic,
    [DLT_HEADERS.originalPartition]: String(source.partition),
    [DLT_HEADERS.originalOffset]: source.offset,
    [DLT_HEADERS.consumerGroup]: source.group,
    [DLT_HEADERS.failedAt]: failedAt.toISOString(),
  };
}

export const deadLetterTopicFor = (group: string): string => `${group}.dlt`;
