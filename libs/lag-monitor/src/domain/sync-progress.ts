import type { SyncProgress } from './cluster-snapshot';

const isoOrNull = (value: unknown, field: string): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new Error(`${field} must be an ISO-8601 time`);
  }
  return value;
};

const count = (value: unknown, field: string): number => {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${field} must be a non-negative integer`);
  }
  return value;
};

/** Kafka offsets travel as strings (kafkajs) or numbers: both are accepted. */
const offsetOf = (value: unknown): number => {
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return count(value, 'offset');
};

/** Reads one `ops.sync-progress` value (the pinned contract in docs/conventions.md). */
export function parseSyncProgress(json: string): SyncProgress {
  const raw = JSON.parse(json) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null) throw new Error('progress must be a JSON object');
  const { group, topic, partition, offset } = raw;
  if (typeof group !== 'string' || !group) throw new Error('group must be a non-empty string');
  if (typeof topic !== 'string' || !topic) throw new Error('topic must be a non-empty string');
  const appliedAt = isoOrNull(raw.appliedAt, 'appliedAt');
  if (appliedAt === null) throw new Error('appliedAt is required');
  return {
    group,
    topic,
    partition: count(partition, 'partition'),
    offset: offsetOf(offset),
    lastOccurredAt: isoOrNull(raw.lastOccurredAt, 'lastOccurredAt'),
    lastRecordedAt: isoOrNull(raw.lastRecordedAt, 'lastRecordedAt'),
    appliedAt,
    applied: count(raw.applied, 'applied'),
    skipped: count(raw.skipped, 'skipped'),
    deadLettered: count(raw.deadLettered, 'deadLettered'),
  };
}
