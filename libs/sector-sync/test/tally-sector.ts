// A tiny sector for the framework's own tests: people with a name, and a log of
// every apply so that a double apply shows up as a duplicate row.
import { join } from 'node:path';
import { RuleViolationError, TransientError, ValidationError } from '@bus/platform';
import type { SectorApply, EventDecoder, SectorSyncOptionsInput } from '@bus/sector-sync';

export interface TallyEvent {
  readonly key: string;
  readonly version: number;
  readonly eventId: string;
  readonly name: string;
  readonly occurredAt: string;
  /** `reject` breaks the test sector's only rule. */
  readonly rule?: 'reject';
  /** The sector starts following the event's key (a 12-digit ID) in the batch's transaction. */
  readonly follow?: true;
}

export const tallyEvent = (key: string, version: number, name = `name-${version}`): TallyEvent => ({
  key,
  version,
  eventId: `${key}-v${version}`,
  name,
  occurredAt: new Date(Date.UTC(2025, 6, 1) + version * 86_400_000).toISOString(),
});

export const decodeTally: EventDecoder<TallyEvent> = (record) => {
  let event: TallyEvent;
  try {
    event = JSON.parse(String(record.value)) as TallyEvent;
  } catch (error) {
    throw new ValidationError('TALLY_NOT_JSON', 'value is not JSON', { cause: error });
  }
  return {
    key: event.key,
    version: event.version,
    eventId: event.eventId,
    occurredAt: event.occurredAt,
    recordedAt: event.occurredAt,
    event,
  };
};

/** While on, every batch fails as if a service the rules call were down (the database is up). */
export const tallyOutage = { on: false };

export const applyTally: SectorApply<TallyEvent> = async (events, tx, context) => {
  if (tallyOutage.on)
    throw new TransientError('TALLY_UNAVAILABLE', 'a service the rules call is down');
  for (const { event, offset, partition } of events) {
    if (event.rule === 'reject') {
      throw new RuleViolationError('TALLY_RULE_BROKEN', `event ${event.eventId} breaks the rule`);
    }
    if (event.follow) await context.follows.follow([event.key]);
    await tx.query(
      `INSERT INTO tally_people (key, name, version) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET name = excluded.name, version = excluded.version`,
      [event.key, event.name, event.version],
    );
    await tx.query(
      'INSERT INTO tally_log (event_id, kafka_partition, kafka_offset) VALUES ($1, $2, $3)',
      [event.eventId, partition, offset],
    );
  }
  const slowMs = Number(process.env.TALLY_SLOW_MS ?? 0);
  if (slowMs > 0) await tx.query('SELECT pg_sleep($1)', [slowMs / 1000]);
};

export interface TallySetup {
  readonly groupId: string;
  readonly topic: string;
  readonly brokers: string[];
  readonly databaseUrl: string;
  readonly progressTopic: string;
  readonly receiptsTopic: string;
  readonly followsTopic: string;
}

export function tallyOptions({
  receiptsTopic,
  followsTopic,
  ...setup
}: TallySetup): SectorSyncOptionsInput<TallyEvent> {
  return {
    ...setup,
    follows: { topic: followsTopic },
    receipts: { topic: receiptsTopic, recipient: 'tally', policyVersion: 7, pollIntervalMs: 200 },
    migrationsDir: join(__dirname, 'tally-migrations'),
    sectorTables: ['tally_people', 'tally_log'],
    poolSize: 3,
    sessionTimeoutMs: 10_000,
    backoff: { initialMs: 100, maxMs: 1_000 },
    maxBytesPerPartition: Number(process.env.TALLY_MAX_BYTES ?? 1024 * 1024),
    decode: decodeTally,
    apply: applyTally,
  };
}
