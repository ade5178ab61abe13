/**
 * What a sector's decoder makes of one Kafka record. The framework needs only the
 * aggregate key and its version to keep apply idempotent; `event` is the sector's own.
 */
export interface SyncEnvelope<T> {
  /** The aggregate whose version is tracked, usually the personal ID (the message key). */
  readonly key: string;
  /** Monotonic per key: an event whose version is not above the stored one is skipped. */
  readonly version: number;
  readonly eventId: string;
  /** Business time of the change (when it happened in the world), ISO-8601. */
  readonly occurredAt?: string;
  /** When the master record was written, ISO-8601. */
  readonly recordedAt?: string;
  readonly event: T;
}

/** A decoded event handed to the sector's apply(), with where it came from. */
export interface SyncEvent<T> extends SyncEnvelope<T> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The version stored for this key before this event, or null for a first sighting. */
  readonly previousVersion: number | null;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export const partitionKey = ({ topic, partition }: TopicPartition): string =>
  `${topic}/${partition}`;

/** Why a decoded envelope cannot be tracked, or null when it can. */
export function envelopeProblem(envelope: SyncEnvelope<unknown>): string | null {
  if (typeof envelope.key !== 'string' || envelope.key.length === 0) return 'key is missing';
  if (!Number.isSafeInteger(envelope.version) || envelope.version < 0) {
    return `version must be a non-negative integer (got ${String(envelope.version)})`;
  }
  if (typeof envelope.eventId !== 'string' || envelope.eventId.length === 0) {
    return 'eventId is missing';
  }
  return null;
}
