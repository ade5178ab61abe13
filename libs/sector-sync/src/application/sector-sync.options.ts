import type { PoolClient } from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ConfigError, DEFAULT_FETCH_WINDOW } from '@bus/platform';
import type { SyncEnvelope, SyncEvent } from '../domain/sync-envelope';
import type { HeaderValue } from '@bus/contracts';
import {
  deadLetterTopicFor,
  DELIVERY_RECEIPTS_TOPIC,
  FOLLOWS_TOPIC,
  SYNC_PROGRESS_TOPIC,
} from '@bus/contracts';

/** One Kafka record as the decoder sees it: bytes untouched. */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly timestamp: string;
}

/**
 * Turns a record into the sector's event with the sector's reader schema.
 * Throw a non-retriable BusError (e.g. ValidationError) for a record that can never
 * be decoded: it is dead-lettered with that error's code. Throw a TransientError
 * (or let a connection error through) when the cause may go away, e.g. the
 * schema registry is unreachable: the batch is retried with backoff.
 */
export type EventDecoder<T> = (record: RawRecord) => Promise<SyncEnvelope<T>> | SyncEnvelope<T>;

/** The sector's follow-list, in the batch's transaction (see docs/ledger.md, "Follow-lists"). */
export interface FollowControl {
  /** Starts following the citizens; resolves to those not followed before. */
  follow(personalIds: readonly string[]): Promise<string[]>;
  /** Stops following them; resolves to those that were followed. */
  unfollow(personalIds: readonly string[]): Promise<string[]>;
}

export interface ApplyContext {
  readonly topic: string;
  readonly partition: number;
  readonly logger: Logger;
  readonly follows: FollowControl;
}

/**
 * Applies fresh events (already filtered for duplicates and stale versions, in
 * partition order) inside the framework's transaction. Use only `tx`; do not commit.
 * Throw a RuleViolationError/ValidationError for an event that breaks a rule for good:
 * the framework isolates it (savepoint per event) and dead-letters it alone.
 */
export type SectorApply<T> = (
  events: readonly SyncEvent<T>[],
  tx: PoolClient,
  context: ApplyContext,
) => Promise<void>;

const eventTypeOf = (event: unknown): string => {
  const type = (event as { eventType?: unknown } | null)?.eventType;
  return typeof type === 'string' ? type : '';
};

/** What a delivery receipt says about one applied event besides its ids. */
export interface ReceiptFacts {
  readonly eventType: string;
  /** Names of the fields the sector received in this event. */
  readonly fields: readonly string[];
}

/** Default: the event's `eventType`, and every field of the event that holds a value. */
export const describeReceipt = (event: unknown): ReceiptFacts => {
  const record = (typeof event === 'object' && event !== null ? event : {}) as Record<
    string,
    unknown
  >;
  return {
    eventType: eventTypeOf(event) || 'UNSPECIFIED',
    fields: Object.keys(record).filter((k) => record[k] !== null && record[k] !== undefined),
  };
};

const fn = <F>(what: string) =>
  z.custom<F>((value) => typeof value === 'function', { message: `${what} must be a function` });

const hostPort = /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/;
const kafkaName = /^[A-Za-z0-9._-]{1,249}$/;

export const sectorSyncOptionsSchema = z
  .object({
    /** Consumer group, `bus.sync-<sector>` by convention. */
    groupId: z.string().regex(kafkaName, 'must be a valid Kafka group name'),
    /** The share topic to follow. */
    topic: z.string().regex(kafkaName, 'must be a valid Kafka topic name'),
    brokers: z
      .array(z.string().regex(hostPort, 'must be host:port'))
      .min(1, 'needs at least one broker'),
    clientId: z.string().min(1).optional(),
    /** The sector's own database (created when missing). */
    databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    /** The sector's migrations folder (node-pg-migrate SQL files); run at boot. */
    migrationsDir: z.string().min(1).optional(),
    /** The sector's tables, emptied by a rebuild before the replay. */
    sectorTables: z
      .array(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain lower-case table name'))
      .default([]),
    deadLetterTopic: z.string().regex(kafkaName).optional(),
    progressTopic: z.string().regex(kafkaName).default(SYNC_PROGRESS_TOPIC),
    /** Partitions of the dead-letter topic when the framework has to create it. */
    deadLetterPartitions: z.number().int().positive().default(1),
    poolSize: z.number().int().positive().default(5),
    maxBytesPerPartition: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    sessionTimeoutMs: z.number().int().min(6_000).default(30_000),
    /** How long a fetch waits for data; also bounds how soon a resumed partition is fetched. */
    maxWaitTimeMs: z.number().int().min(10).default(DEFAULT_FETCH_WINDOW.maxWaitMs),
    /** The broker answers a fetch once this many bytes are there, or after `maxWaitTimeMs`. */
    minBytes: z.number().int().positive().default(DEFAULT_FETCH_WINDOW.minBytes),
    backoff: z
      .object({
        initialMs: z.number().int().positive().default(250),
        maxMs: z.number().int().positive().default(15_000),
      })
      .default({ initialMs: 250, maxMs: 15_000 }),
    decode: fn<EventDecoder<unknown>>('decode'),
    /** The sector's rules; a Nest app registers them as event handlers instead. */
    apply: fn<SectorApply<unknown>>('apply').optional(),
    /**
     * The `@EventPattern` an event goes to when the rules are Nest handlers; events whose
     * pattern has no handler go to the EVENT_RUN handler. Default: the event's `eventType`.
     */
    patternOf: fn<(event: unknown) => string>('patternOf').default(() => eventTypeOf),
    /**
     * Delivery receipts (written with each applied event, relayed to the receipts topic;
     * see docs/sector-sync.md). On by default: every sector built on the framework gets them.
     */
    receipts: z
      .object({
        enabled: z.boolean().default(true),
        /** Who received the data, as the ledger names it (the sector id); default the group. */
        recipient: z.string().min(1).optional(),
        topic: z.string().regex(kafkaName).default(DELIVERY_RECEIPTS_TOPIC),
        /** The sharing-policy version, when the share record carries none in its headers. */
        policyVersion: z.number().int().min(0).default(0),
        describe: fn<(event: unknown) => ReceiptFacts>('receipts.describe').default(
          () => describeReceipt,
        ),
        batchSize: z.number().int().positive().default(500),
        pollIntervalMs: z.number().int().min(10).default(1_000),
        /** Published receipts older than this are pruned in small batches; 0 keeps them. */
        retainPublishedHours: z
          .number()
          .min(0)
          .default(24 * 7),
        pruneBatchSize: z.number().int().positive().default(1_000),
      })
      .prefault({}),
    /** The sector's follow-list, relayed (with the receipts' relay settings) to this topic. */
    follows: z.object({ topic: z.string().regex(kafkaName).default(FOLLOWS_TOPIC) }).prefault({}),
    logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null).optional(),
  })
  .refine((o) => o.backoff.maxMs >= o.backoff.initialMs, {
    message: 'backoff.maxMs must be at least backoff.initialMs',
    path: ['backoff', 'maxMs'],
  });

export type SectorSyncOptionsInput<T = unknown> = Omit<
  z.input<typeof sectorSyncOptionsSchema>,
  'decode' | 'apply' | 'patternOf' | 'receipts'
> & {
  decode: EventDecoder<T>;
  apply?: SectorApply<T>;
  patternOf?: (event: T) => string;
  receipts?: Omit<NonNullable<z.input<typeof sectorSyncOptionsSchema>['receipts']>, 'describe'> & {
    describe?: (event: T) => ReceiptFacts;
  };
};

type ParsedOptions = z.output<typeof sectorSyncOptionsSchema>;

export type SectorSyncOptions = Omit<ParsedOptions, 'receipts'> & {
  readonly deadLetterTopic: string;
  readonly clientId: string;
  readonly receipts: ParsedOptions['receipts'] & { readonly recipient: string };
};

/** Validates options at boot and fails with one readable line per bad field. */
export function parseSectorSyncOptions<T>(input: SectorSyncOptionsInput<T>): SectorSyncOptions {
  const result = sectorSyncOptionsSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid SectorSyncModule options:\n${lines.join('\n')}`);
  }
  const options = result.data;
  return {
    ...options,
    deadLetterTopic: options.deadLetterTopic ?? deadLetterTopicFor(options.groupId),
    clientId: options.clientId ?? options.groupId,
    receipts: { ...options.receipts, recipient: options.receipts.recipient ?? options.groupId },
  };
}
