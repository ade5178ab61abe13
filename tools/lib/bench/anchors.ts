import { spawnSync } from 'node:child_process';
import kafkajs, { type Admin } from 'kafkajs';
import pg from 'pg';
import { join } from 'node:path';
import { ensureJars } from '../kafka-broker.ts';
import { mkdirSync } from 'node:fs';
import {
  KAFKA_SECURITY_DIR,
  kafkaJavaClientProperties,
  kafkajsSecurity,
} from '../kafka-security.ts';
import { writePrivate } from '../stack-secrets.ts';
import { StackError } from '../stack-error.ts';

export interface KafkaAnchor {
  readonly records: number;
  readonly partitions: number;
  readonly producerRecordsPerSec: number;
  readonly producerP99Ms: number;
  /** Fetch rate: the consumer's group join (seconds on a fresh group) left out, as ours is. */
  readonly consumerRecordsPerSec: number;
  /** The tool's own nMsg.sec, group join included. */
  readonly consumerRecordsPerSecWithJoin: number;
}

/** The JVM's warm-up would dominate a short run and flatter our ratios: never fewer records than this. */
export const MIN_KAFKA_ANCHOR_RECORDS = 100_000;

async function withAdmin<T>(brokers: string, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new kafkajs.Kafka({
    clientId: 'bench-anchor',
    brokers: brokers.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
    ...kafkajsSecurity('bench'),
  }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

function java(mainClass: string, args: string[]): string {
  const result = spawnSync('java', ['-Xmx512m', '-cp', `${ensureJars()}/*`, mainClass, ...args], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (result.status !== 0) throw new StackError(`${mainClass} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * Kafka's own perf tools, from the same jars as the broker: the ceiling our relay and
 * consumers sit under. Same record size and partition count as ours, acks=all and
 * idempotence as our relay, on a topic of its own that is deleted afterwards.
 */
export async function kafkaAnchor(
  brokers: string,
  topic: string,
  events: number,
  recordSize: number,
  partitions: number,
): Promise<KafkaAnchor> {
  const records = Math.max(events, MIN_KAFKA_ANCHOR_RECORDS);
  await withAdmin(brokers, (admin) =>
    admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }),
  );
  try {
    return measureKafka(brokers, topic, records, recordSize, partitions);
  } finally {
    await withAdmin(brokers, (admin) => admin.deleteTopics({ topics: [topic] })).catch(
      () => undefined,
    );
  }
}

function measureKafka(
  brokers: string,
  topic: string,
  records: number,
  recordSize: number,
  partitions: number,
): KafkaAnchor {
  mkdirSync(KAFKA_SECURITY_DIR, { recursive: true, mode: 0o700 });
  const config = join(KAFKA_SECURITY_DIR, 'bench-client.properties');
  writePrivate(config, `${kafkaJavaClientProperties('bench').join('\n')}\n`);
  const produced = java('org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    // one option, several values: the tool reads the following words as properties
    '--command-property',
    `bootstrap.servers=${brokers}`,
    'acks=all',
    'enable.idempotence=true',
    'compression.type=none',
    // The bench principal over SASL_SSL, like our relay (none on a plaintext stack), from a
    // file: a password never goes on a command line, nor into an error that repeats it.
    '--command-config',
    config,
  ]);
  const summary = /(\d+) records sent, ([\d.]+) records\/sec.*?(\d+) ms 99th/.exec(produced);
  if (!summary) throw new StackError(`unexpected ProducerPerformance output: ${produced}`);
  const consumed = java('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    brokers,
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--hide-header',
    '--timeout',
    '120000',
    '--command-config',
    config,
    // Under the bench principal's prefix.
    '--group',
    `${topic}.consumer`,
  ]);
  const fields =
    consumed
      .trim()
      .split('\n')
      .pop()
      ?.split(',')
      .map((f) => f.trim()) ?? [];
  // start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  return {
    records,
    partitions,
    producerRecordsPerSec: Number(summary[2]),
    producerP99Ms: Number(summary[3]),
    consumerRecordsPerSec: Number(fields[9] ?? fields[5]),
    consumerRecordsPerSecWithJoin: Number(fields[5]),
  };
}

/**
 * PostgreSQL's raw upsert ceiling: the same number of citizen rows, UNNEST batches of 1,000,
 * no Kafka, on `connections` connections at once (the sector sync services' pool size). The
 * first pass inserts; the second upserts every row again with a higher version, so that its
 * ON CONFLICT … DO UPDATE fires on every row, as a sector applying changes to citizens it
 * already holds. `rowsPerSec` is the second pass.
 */
export async function postgresUpsertAnchor(
  serverUrl: string,
  rows: number,
  connections = 5,
  batchSize = 1_000,
): Promise<{ rowsPerSec: number; insertRowsPerSec: number; connections: number; updated: number }> {
  const database = `bench_anchor_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: connections });
  const upsert = (offset: number, version: number) => {
    const ids: string[] = [];
    const names: string[] = [];
    const communes: string[] = [];
    const payloads: string[] = [];
    for (let i = offset; i < Math.min(rows, offset + batchSize); i++) {
      ids.push(`0012${String(i).padStart(8, '0')}`);
      names.push(`Nguyễn Văn ${i} ${version}`);
      communes.push(String((i + version) % 3321).padStart(5, '0'));
      payloads.push(JSON.stringify({ i, version, maritalStatus: 'SINGLE', status: 'ALIVE' }));
    }
    return pool.query(
      `INSERT INTO citizen AS c (personal_id, version, full_name, province_code, commune_code, payload, updated_at)
       SELECT id, $5, name, '01', commune, payload::jsonb, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, name, commune, payload)
       ON CONFLICT (personal_id) DO UPDATE SET version = excluded.version, full_name = excluded.full_name,
         commune_code = excluded.commune_code, payload = excluded.payload, updated_at = excluded.updated_at
       WHERE c.version < excluded.version`,
      [ids, names, communes, payloads, version],
    );
  };
  /** Every batch, `connections` at a time; returns rows/s and rows the statements touched. */
  const pass = async (version: number) => {
    const offsets: number[] = [];
    for (let offset = 0; offset < rows; offset += batchSize) offsets.push(offset);
    let touched = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        for (let next = offsets.shift(); next !== undefined; next = offsets.shift()) {
          // Awaited first: `touched += await …` would read touched before the await and lose updates.
          const done = await upsert(next, version);
          touched += done.rowCount ?? 0;
        }
      }),
    );
    return { rowsPerSec: rows / ((performance.now() - started) / 1000), touched };
  };
  try {
    await pool.query(`CREATE TABLE citizen (
      personal_id text PRIMARY KEY, version int NOT NULL, full_name text NOT NULL,
      province_code text, commune_code text, payload jsonb NOT NULL, updated_at timestamptz NOT NULL)`);
    const inserted = await pass(1);
    const updated = await pass(2);
    if (updated.touched !== rows) {
      throw new StackError(`the upsert anchor updated ${updated.touched} of ${rows} rows`);
    }
    return {
      rowsPerSec: Math.round(updated.rowsPerSec),
      insertRowsPerSec: Math.round(inserted.rowsPerSec),
      connections,
      updated: updated.touched,
    };
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
