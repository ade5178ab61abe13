import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  kafkaAnchor,
  MIN_KAFKA_ANCHOR_RECORDS,
  postgresUpsertAnchor,
} from './lib/bench/anchors.ts';
import { describeMachine } from './lib/bench/machine.ts';
import { runScenario } from './lib/bench/scenario.ts';
import { build } from './lib/build.ts';
import { bootstrapBrokers, kafkaNodesEnv } from './lib/kafka-nodes.ts';
import { kafkaClientEnv } from './lib/kafka-security.ts';
import { registryClientEnv } from './lib/registry-users.ts';
import { REGISTRY_PORT } from './lib/stack-settings.ts';
import { ROOT } from './lib/paths.ts';
import { measureProvider, passwordToken, providerRssMiB } from './lib/bench/provider.ts';
import { stackUp } from './lib/stack-control.ts';
import { startZipkin, ZIPKIN_SPANS_URL } from './lib/zipkin.ts';

/**
 * `npm run bench -- --events N`: our relay and end-to-end figures, each beside the
 * ceiling of the part underneath measured in the same run (Kafka's own perf tools,
 * raw PostgreSQL upserts), reported as ratios. Not part of `npm test`.
 */
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    // our CitizenChanged records average 351 B (key + framed Avro), measured by the relay scenario
    'record-size': { type: 'string', default: '350' },
    partitions: { type: 'string', default: '12' },
    // Only the OpenID Connect figures: the provider's start and memory, the guard's cost.
    'auth-only': { type: 'boolean', default: false },
    requests: { type: 'string', default: '3000' },
    // Only the end-to-end scenario, three times: tracing off, on at 100 % and at 1 % sampling.
    'tracing-overhead': { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
const recordSize = Number(values['record-size']);
const partitions = Number(values.partitions);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const started = Date.now();
const step = (label: string) =>
  console.error(`bench [${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${label}`);

// The bench's own identities (docs/data-plane-security.md): Kafka's `bench` principal, the
// registry's admin (it deletes its subjects afterwards); its children inherit them.
const identity = {
  ...kafkaNodesEnv(),
  SCHEMA_REGISTRY_URL: `http://127.0.0.1:${REGISTRY_PORT}`,
  ...kafkaClientEnv('bench'),
  ...registryClientEnv('admin'),
};
for (const [name, value] of Object.entries(identity)) process.env[name] ??= value;

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

step(
  `anchor: kafka-producer-perf-test / kafka-consumer-perf-test, ${Math.max(events, MIN_KAFKA_ANCHOR_RECORDS)} records of ${recordSize} B, ${partitions} partitions`,
);
const kafka = await kafkaAnchor(
  bootstrapBrokers().join(','),
  `bench.anchor.${Date.now().toString(36)}`,
  events,
  recordSize,
  partitions,
);
step(`anchor: PostgreSQL UNNEST upserts, ${events} rows`);
const postgres = await postgresUpsertAnchor(databaseUrl, events);

step(`relay: drain a backlog of ${events} outbox rows`);
const relay = await runScenario('relay', [
  '--events',
  String(events),
  '--partitions',
  String(partitions),
]);
step(`end to end: ${events} changes into four sector databases`);
const e2e = await runScenario('e2e', [
  '--events',
  String(events),
  '--partitions',
  String(partitions),
]);

const ratio = (ours: unknown, anchor: number) =>
  typeof ours === 'number' && anchor > 0 ? Number((ours / anchor).toFixed(3)) : null;
const result = {
  at: new Date().toISOString(),
  machine,
  parameters: { events, recordSize, partitions },
  anchors: { kafka, postgres },
  relay: relay ?? 'scenario not built',
  e2e: e2e ?? 'scenario not built',
  ratios: {
    relayVsKafkaProducer: ratio(relay?.eventsPerSec, kafka.producerRecordsPerSec),
    e2eVsKafkaConsumer: ratio(e2e?.eventsPerSec, kafka.consumerRecordsPerSec),
    e2eVsPostgresUpsert: ratio(e2e?.eventsPerSec, postgres.rowsPerSec),
    e2eSectorWritesVsPostgresUpsert: ratio(e2e?.sectorWritesPerSec, postgres.rowsPerSec),
  },
};

const fmt = (n: unknown) =>
  typeof n === 'number' ? Math.round(n).toLocaleString('en') : String(n ?? '—');
console.table({
  'kafka producer perf (rec/s)': { value: fmt(kafka.producerRecordsPerSec) },
  'kafka consumer perf (rec/s)': { value: fmt(kafka.consumerRecordsPerSec) },
  'postgres UNNEST upsert (rows/s)': { value: fmt(postgres.rowsPerSec) },
  'relay drain (events/s)': {
    value: fmt(relay?.eventsPerSec),
    ratio: result.ratios.relayVsKafkaProducer,
  },
  '  relay drain while pruning (events/s)': {
    value: fmt((relay?.withPruning as Record<string, unknown> | undefined)?.eventsPerSec),
  },
  'ledger ingest over the catch-up (receipts/s)': {
    value: fmt((e2e?.ledger as Record<string, unknown> | undefined)?.receiptsPerSec),
  },
  'end to end, all four sectors (events/s)': {
    value: fmt(e2e?.eventsPerSec),
    ratio: result.ratios.e2eVsKafkaConsumer,
  },
  'end to end, rows into sector DBs (rows/s)': {
    value: fmt(e2e?.sectorWritesPerSec),
    ratio: result.ratios.e2eSectorWritesVsPostgresUpsert,
  },
  ...Object.fromEntries(
    Object.entries((e2e?.perSector ?? {}) as Record<string, { eventsPerSec: number }>).map(
      ([sector, figures]) => [`  into ${sector} (events/s)`, { value: fmt(figures.eventsPerSec) }],
    ),
  ),
  ...Object.fromEntries(
    Object.entries((e2e?.cpuMsPerEvent ?? {}) as Record<string, number | null>).map(
      ([name, ms]) => [`  CPU of ${name} (ms per event)`, { value: ms ?? '—' }],
    ),
  ),
  'end to end p50 / p95 / p99 (ms)': {
    value: e2e ? `${fmt(e2e.p50Ms)} / ${fmt(e2e.p95Ms)} / ${fmt(e2e.p99Ms)}` : '—',
  },
  '  at (changes/s asked / achieved)': {
    value: e2e
      ? (({ askedRate, achievedRate }: Record<string, unknown>) =>
          `${fmt(askedRate)} / ${fmt(achievedRate)}`)(e2e.latency as Record<string, unknown>)
      : '—',
  },
  'peak RSS (MiB)': {
    value: Object.entries({
      'relay (drain)': (relay?.peakRssMiB as Record<string, number> | undefined)?.relay,
      ...((e2e?.peakRssMiB ?? {}) as Record<string, number>),
    })
      .map(([name, mib]) => `${name} ${mib}`)
      .join(', '),
  },
});
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const file = join(ROOT, 'bench/results', `bench-${result.at.replaceAll(':', '-')}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`bench: results written to ${file}`);
process.exit(0);
