import type { KafkaMessage } from 'kafkajs';
import pg from 'pg';
import {
  connectedConsumer,
  connectedProducer,
  createTestDatabase,
  createTestTopic,
  onCleanup,
  testStack,
  uniqueName,
  waitFor,
} from '@bus/testing';
import { parseSectorSyncOptions, SectorSyncEngine, type EngineRunOptions } from '@bus/sector-sync';
import { tallyOptions, type TallyEvent, type TallySetup } from './tally-sector';

export async function tallySetup(partitions = 2): Promise<TallySetup> {
  return {
    groupId: uniqueName('bus.sync-tally'),
    topic: await createTestTopic('share.tally', partitions),
    brokers: testStack().kafkaBrokers,
    databaseUrl: await createTestDatabase('bus_tally'),
    progressTopic: await createTestTopic('ops.sync-progress'),
    receiptsTopic: await createTestTopic('sync.delivery-receipts', 2),
    followsTopic: await createTestTopic('sync.follows', 2),
  };
}

export async function startTally(
  setup: TallySetup,
  run: EngineRunOptions = {},
): Promise<SectorSyncEngine> {
  const engine = new SectorSyncEngine(parseSectorSyncOptions(tallyOptions(setup)), run);
  onCleanup(() => engine.stop());
  await engine.start();
  return engine;
}

export async function produce(
  topic: string,
  records: readonly (TallyEvent | { key: string; raw: string })[],
): Promise<void> {
  const producer = await connectedProducer(undefined, { idempotent: true });
  await producer.send({
    topic,
    acks: -1,
    messages: records.map((r) => ({
      key: r.key,
      value: 'raw' in r ? r.raw : JSON.stringify(r),
      headers: { 'test.origin': 'tally' },
    })),
  });
}

/** A query pool on the sector database, closed after the test. */
export function tallyPool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  onCleanup(() => pool.end());
  return pool;
}

export async function logRows(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ event_id: string }>(
    'SELECT event_id FROM tally_log ORDER BY event_id',
  );
  return rows.map((r) => r.event_id);
}

export async function waitForLogCount(pool: pg.Pool, count: number, timeoutMs = 30_000) {
  return waitFor(
    async () => {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM tally_log');
      return Number(rows[0]?.n) >= count ? Number(rows[0]?.n) : false;
    },
    { description: `${count} applied events`, timeoutMs },
  );
}

/** Collects every message of a topic from its beginning. */
export async function collect(topic: string): Promise<KafkaMessage[]> {
  const received: KafkaMessage[] = [];
  const consumer = await connectedConsumer(uniqueName('collector'));
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      received.push(message);
    },
  });
  return received;
}

/** The sector database's receipts: event ids in order, and how many rows in all. */
export async function receiptRows(pool: pg.Pool): Promise<{ ids: string[]; rows: number }> {
  const { rows } = await pool.query<{ event_id: string }>(
    'SELECT event_id FROM sync_receipts ORDER BY event_id',
  );
  return { ids: [...new Set(rows.map((r) => r.event_id))], rows: rows.length };
}

export const header = (message: KafkaMessage, name: string): string | undefined => {
  const value = message.headers?.[name];
  return value === undefined ? undefined : String(value);
};
