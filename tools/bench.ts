import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  kafkaAnchor,
  MIN_KAFKA_ANCHOR_RECORDS,
  postgresUpsertAnchor,
  type KafkaAnchor,
} from './lib/bench/anchors.ts';
import { describeMachine } from './lib/bench/machine.ts';
import { runScenario } from './lib/bench/scenario.ts';
import { build } from './lib/build.ts';
import { BROKER } from './lib/kafka-broker.ts';
import { kafkaClientEnv } from './lib/kafka-security.ts';
import { registryClientEnv } from './lib/registry-users.ts';
import { REGISTRY_PORT } from './lib/stack-settings.ts';
import { ROOT } from './lib/paths.ts';
import { measureProvider, passwordToken, providerRssMiB } from './lib/bench/provider.ts';
import { stackUp } from './lib/stack-control.ts';
import { kafkaProcess } from './lib/kafka-broker.ts';
import { runningPid } from './lib/processes.ts';
import { printMain, resultFile } from './lib/bench/report.ts';
import { startZipkin, ZIPKIN_SPANS_URL } from './lib/zipkin.ts';

/**
 * `npm run bench -- --events N`: our relay and end-to-end figures, each beside the
 * ceiling of the part underneath measured in the same run (Kafka's own perf tools,
 * raw PostgreSQL upserts), reported as ratios. Not part of `npm test`.
 */
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    // Unset: the average record size the relay scenario measured in this run (key + framed Avro).
    'record-size': { type: 'string' },
    // The latency phase's asked rate, commands/s over HTTP (open loop).
    rate: { type: 'string', default: '200' },
    // Write the result under bench/results/<out>/ (committed) instead of bench/results/ (ignored).
    out: { type: 'string' },
    // Only the relay and end-to-end scenarios, no anchors (quick A/B of a change).
    'no-anchors': { type: 'boolean', default: false },
    partitions: { type: 'string', default: '12' },
    // Only the OpenID Connect figures: the provider's start and memory, the guard's cost.
    'auth-only': { type: 'boolean', default: false },
    requests: { type: 'string', default: '3000' },
    // Only the end-to-end scenario, three times: tracing off, on at 100 % and at 1 % sampling.
    'tracing-overhead': { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
const givenRecordSize = values['record-size'] ? Number(values['record-size']) : undefined;
const partitions = Number(values.partitions);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const started = Date.now();
const step = (label: string) =>
  console.error(`bench [${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${label}`);

// The bench's own identities (docs/data-plane-security.md): Kafka's `bench` principal, the
// registry's admin (it deletes its subjects afterwards); its children inherit them.
const identity = {
  KAFKA_BROKERS: BROKER,
  SCHEMA_REGISTRY_URL: `http://127.0.0.1:${REGISTRY_PORT}`,
  ...kafkaClientEnv('bench'),
  ...registryClientEnv('admin'),
};
for (const [name, value] of Object.entries(identity)) process.env[name] ??= value;
// The broker's pid, for its CPU per event (a stack of this checkout; none when external).
const kafkaPid = runningPid(kafkaProcess);
if (kafkaPid !== undefined) process.env.BENCH_KAFKA_PID ??= String(kafkaPid);
process.env.BENCH_RATE ??= values.rate;

step('stack and build');
await stackUp();
build();
const machine = describeMachine();

if (values['auth-only']) {
  step('auth: restart the provider (Keycloak), then the guard with and without, interleaved');
  const provider = await measureProvider();
  const guard = await runScenario('auth-guard', [values.requests], {
    OIDC_TOKEN: await passwordToken('officer-hanoi'),
  });
  const result = { at: new Date().toISOString(), machine, provider, guard };
  console.table({
    'provider start to ready (s)': { value: provider.startSeconds },
    'provider RSS after start / after the bench (MiB)': {
      value: `${provider.rssMiBAfterStart} / ${await providerRssMiB()}`,
    },
    'HTTP p50 without / with guard (ms)': {
      value: `${guard?.withoutGuard && (guard.withoutGuard as { p50Ms: number }).p50Ms} / ${guard?.withGuard && (guard.withGuard as { p50Ms: number }).p50Ms}`,
    },
    'HTTP p99 without / with guard (ms)': {
      value: `${guard?.withoutGuard && (guard.withoutGuard as { p99Ms: number }).p99Ms} / ${guard?.withGuard && (guard.withGuard as { p99Ms: number }).p99Ms}`,
    },
  });
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(ROOT, 'bench/results', `auth-${result.at.replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`bench: results written to ${file}`);
  process.exit(0);
}

if (values['tracing-overhead']) {
  step('tracing: the local Zipkin receives the spans');
  await startZipkin();
  const e2eArgs = ['--events', String(events), '--partitions', String(partitions)];
  const runs: Record<string, Record<string, unknown> | undefined> = {};
  for (const [label, env] of [
    ['off', {}],
    ['100%', { OTEL_EXPORTER_ZIPKIN_ENDPOINT: ZIPKIN_SPANS_URL, OTEL_TRACES_SAMPLER_ARG: '1' }],
    ['1%', { OTEL_EXPORTER_ZIPKIN_ENDPOINT: ZIPKIN_SPANS_URL, OTEL_TRACES_SAMPLER_ARG: '0.01' }],
  ] as const) {
    step(`end to end, tracing ${label}: ${events} changes into four sector databases`);
    runs[label] = await runScenario('e2e', e2eArgs, env);
  }
  const result = {
    at: new Date().toISOString(),
    machine,
    parameters: { events, partitions },
    runs,
  };
  console.table(
    Object.fromEntries(
      Object.entries(runs).map(([label, r]) => [
        `tracing ${label}`,
        { 'events/s': r?.eventsPerSec, 'p99 (ms)': r?.p99Ms, 'p50 (ms)': r?.p50Ms },
      ]),
    ),
  );
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(ROOT, 'bench/results', `tracing-${result.at.replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`bench: results written to ${file}`);
  process.exit(0);
}

// The relay first: it measures our record size, which the Kafka anchor then uses.
step(`relay: drain a backlog of ${events} outbox rows`);
const relay = await runScenario('relay', [
  '--events',
  String(events),
  '--partitions',
  String(partitions),
]);
const recordSize = givenRecordSize ?? Number(relay?.avgRecordBytes ?? 350);
let anchors: {
  kafka: KafkaAnchor;
  postgres: Awaited<ReturnType<typeof postgresUpsertAnchor>>;
} | null = null;
if (!values['no-anchors']) {
  step(
    `anchor: kafka-producer-perf-test / kafka-consumer-perf-test, ${Math.max(events, MIN_KAFKA_ANCHOR_RECORDS)} records of ${recordSize} B, ${partitions} partitions`,
  );
  const kafka = await kafkaAnchor(
    BROKER,
    `bench.anchor.${Date.now().toString(36)}`,
    events,
    recordSize,
    partitions,
  );
  step(`anchor: PostgreSQL UNNEST upserts, ${events} rows inserted then updated, 5 connections`);
  const postgres = await postgresUpsertAnchor(databaseUrl, events);
  anchors = { kafka, postgres };
}
step(
  `end to end: ${events} changes into four sector databases, then the HTTP write path and latency`,
);
const e2e = await runScenario('e2e', [
  '--events',
  String(events),
  '--partitions',
  String(partitions),
]);

const ratio = (ours: unknown, anchor: number | undefined) =>
  typeof ours === 'number' && anchor ? Number((ours / anchor).toFixed(3)) : null;
const writePath = (e2e?.writePath ?? {}) as Record<string, { commandsPerSec?: number }>;
const result = {
  at: new Date().toISOString(),
  machine,
  parameters: {
    events,
    recordSize,
    recordSizeMeasured: givenRecordSize === undefined,
    partitions,
    rate: Number(values.rate),
  },
  anchors,
  relay: relay ?? 'scenario not built',
  e2e: e2e ?? 'scenario not built',
  // Each ratio is named numerator-per-denominator: what it divides by what.
  ratios: {
    relayEventsPerSecOverKafkaProducerRecordsPerSec: ratio(
      relay?.eventsPerSec,
      anchors?.kafka.producerRecordsPerSec,
    ),
    e2eEventsPerSecOverKafkaConsumerRecordsPerSec: ratio(
      e2e?.eventsPerSec,
      anchors?.kafka.consumerRecordsPerSec,
    ),
    sectorRowsPerSecOverPostgresUpsertRowsPerSec: ratio(
      e2e?.sectorWritesPerSec,
      anchors?.postgres.rowsPerSec,
    ),
    ...Object.fromEntries(
      Object.keys(writePath)
        .filter((k) => k.startsWith('api-'))
        .map((k) => [
          `httpCommandsPerSecOverHttpAnchorPerSec${k.slice(4)}InFlight`,
          ratio(writePath[k]?.commandsPerSec, writePath[`anchor-${k.slice(4)}`]?.commandsPerSec),
        ]),
    ),
  },
  checks: {
    relayTopicHoldsEveryRow: (relay?.countCheck as { ok?: boolean } | undefined)?.ok ?? null,
    masterTopicHoldsEveryOutboxRow: (e2e?.countCheck as { ok?: boolean } | undefined)?.ok ?? null,
  },
};
printMain(result);
const file = resultFile('bench', result.at, values.out);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`bench: results written to ${file}`);
const failed = Object.entries(result.checks).filter(([, ok]) => ok === false);
if (failed.length > 0)
  console.error(`bench: CHECK FAILED: ${failed.map(([name]) => name).join(', ')}`);
process.exit(failed.length > 0 ? 2 : 0);
