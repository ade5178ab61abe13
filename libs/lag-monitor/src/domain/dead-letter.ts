/** The pinned dead-letter headers (docs/conventions.md). */
export const DLT_HEADERS = {
  reason: 'dlt.reason',
  message: 'dlt.message',
  originalTopic: 'dlt.original.topic',
  originalPartition: 'dlt.original.partition',
  originalOffset: 'dlt.original.offset',
  consumerGroup: 'dlt.consumer.group',
  failedAt: 'dlt.failed.at',
} as const;

export const SECTORS = ['bhyt', 'land', 'tax', 'tthc'] as const;

export function deadLetterTopicOf(group: string): string {
  return `${group}.dlt`;
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

/** The headers a replayed message carries: the originals, without the dlt.* bookkeeping. */
export function replayHeaders(
  headers: Readonly<Record<string, string>>,
  replay: { readonly from: string; readonly by: string; readonly at: string },
): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith('dlt.')));
  return { ...kept, 'replay.from': replay.from, 'replay.by': replay.by, 'replay.at': replay.at };
}
