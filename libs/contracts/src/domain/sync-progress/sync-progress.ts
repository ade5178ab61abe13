import { ErrorCode, ValidationError } from '@bus/platform/pure';

/**
 * The `ops.sync-progress` contract pinned in docs/conventions.md ("Sync progress"): one
 * declaration for the writer (every sync service) and the reader (the ops console).
 */
export const SYNC_PROGRESS_TOPIC = 'ops.sync-progress';

export interface SyncProgress {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read; a string, as Kafka offsets are 64-bit. */
  readonly offset: string;
  readonly lastOccurredAt: string | null;
  readonly lastRecordedAt: string | null;
  readonly appliedAt: string;
  readonly applied: number;
  readonly skipped: number;
  readonly deadLettered: number;
}

/** The record key: the latest record per group/topic/partition is all a reader needs. */
export const syncProgressKey = (group: string, topic: string, partition: number): string =>
  `${group}/${topic}/${partition}`;

const invalid = (message: string) => new ValidationError(ErrorCode.SYNC_PROGRESS_INVALID, message);

const isoOrNull = (value: unknown, field: string): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw invalid(`${field} must be an ISO-8601 time`);
  }
  return value;
};

const count = (value: unknown, field: string): number => {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalid(`${field} must be a non-negative integer`);
  }
  return value;
};

/** Written as a decimal string; a number (older writers) is accepted. */
const offsetOf = (value: unknown): string => {
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return String(count(value, 'offset'));
};

/** Reads one `ops.sync-progress` value, naming the field that breaks the contract. */
export function parseSyncProgress(json: string): SyncProgress {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ValidationError(ErrorCode.SYNC_PROGRESS_INVALID, 'progress is not JSON', {
      cause: error,
    });
  }
  if (typeof raw !== 'object' || raw === null) throw invalid('progress must be a JSON object');
  const record = raw as Record<string, unknown>;
  const { group, topic, partition, offset } = record;
  if (typeof group !== 'string' || !group) throw invalid('group must be a non-empty string');
  if (typeof topic !== 'string' || !topic) throw invalid('topic must be a non-empty string');
  const appliedAt = isoOrNull(record.appliedAt, 'appliedAt');
  if (appliedAt === null) throw invalid('appliedAt is required');
  return {
    group,
    topic,
    partition: count(partition, 'partition'),
    offset: offsetOf(offset),
    lastOccurredAt: isoOrNull(record.lastOccurredAt, 'lastOccurredAt'),
    lastRecordedAt: isoOrNull(record.lastRecordedAt, 'lastRecordedAt'),
    appliedAt,
    applied: count(record.applied, 'applied'),
    skipped: count(record.skipped, 'skipped'),
    deadLettered: count(record.deadLettered, 'deadLettered'),
  };
}
