import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths.ts';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const fmt = (n: unknown) =>
  typeof n === 'number' ? Math.round(n).toLocaleString('en') : String(n ?? '—');
const ms = (n: unknown) => (typeof n === 'number' ? n.toFixed(3) : '—');

/**
 * `bench/results/<kind>-<time>.json` (git ignores it), or under `bench/results/<out>/` when
 * asked: the folder to commit for figures that docs quote.
 */
export function resultFile(kind: string, at: string, out?: string): string {
  const dir = out ? join(ROOT, 'bench/results', out) : join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${kind}-${at.replaceAll(':', '-')}.json`);
}

/** The main run's table: every figure beside its same-run anchor and the ratio's name. */
export function printMain(result: Json): void {
  const anchors = obj(result.anchors);
  const kafka = obj(anchors.kafka);
  const postgres = obj(anchors.postgres);
  const relay = obj(result.relay);
  const e2e = obj(result.e2e);
  const ratios = obj(result.ratios);
  const latency = obj(e2e.latency);
  const breakdown = obj(latency.latency);
  const hops = obj(breakdown.hops);
  const pct = (s: unknown) => `${fmt(obj(s).p50Ms)} / ${fmt(obj(s).p95Ms)} / ${fmt(obj(s).p99Ms)}`;
  const rows: Record<string, { value: string; ratio?: unknown; 'ratio of'?: string }> = {
    'kafka producer perf (rec/s)': { value: fmt(kafka.producerRecordsPerSec) },
    'kafka consumer perf, fetch (rec/s)': { value: fmt(kafka.consumerRecordsPerSec) },
    'postgres upsert, every row updated (rows/s)': {
      value: `${fmt(postgres.rowsPerSec)} (insert ${fmt(postgres.insertRowsPerSec)}, ${fmt(postgres.connections)} conns)`,
    },
    'record size measured (B)': { value: fmt(relay.avgRecordBytes) },
    'relay drain (events/s)': {
      value: fmt(relay.eventsPerSec),
      ratio: ratios.relayEventsPerSecOverKafkaProducerRecordsPerSec,
      'ratio of': 'events/s ÷ Kafka producer rec/s',
    },
    '  relay records on topic (check)': {
      value: `${fmt(obj(relay.countCheck).found)} of ${fmt(obj(relay.countCheck).expected)}`,
    },
    'end to end, all four sectors (events/s)': {
      value: fmt(e2e.eventsPerSec),
      ratio: ratios.e2eEventsPerSecOverKafkaConsumerRecordsPerSec,
      'ratio of': 'events/s ÷ Kafka consumer rec/s',
    },
    'end to end, rows into sector DBs (rows/s)': {
      value: fmt(e2e.sectorWritesPerSec),
      ratio: ratios.sectorRowsPerSecOverPostgresUpsertRowsPerSec,
      'ratio of': 'rows/s ÷ PostgreSQL upsert rows/s',
    },
  };
  for (const [name, value] of Object.entries(obj(e2e.cpuMsPerEvent))) {
    rows[`  CPU ms per event, ${name}`] = { value: ms(value) };
  }
  for (const [key, run] of Object.entries(obj(e2e.writePath))) {
    const r = obj(run);
    const [kind, inFlight] = key.split('-');
    rows[`HTTP ${kind === 'api' ? 'commands' : 'anchor INSERTs'}, ${inFlight} in flight (/s)`] = {
      value: `${fmt(r.commandsPerSec)} (p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms, errors ${fmt(r.errors)})`,
      ...(kind === 'api'
        ? {
            ratio: ratios[`httpCommandsPerSecOverHttpAnchorPerSec${inFlight}InFlight`],
            'ratio of': 'commands/s ÷ anchor INSERTs/s',
          }
        : {}),
    };
  }
  rows['latency phase, commands/s asked / achieved'] = {
    value: `${fmt(latency.askedPerSec)} / ${fmt(latency.achievedPerSec)}`,
  };
  rows['commit → every sector commit p50/p95/p99 (ms)'] = {
    value: pct(breakdown.commitToSectorCommit),
  };
  rows['  request due → sector commit'] = { value: pct(breakdown.requestDueToSectorCommit) };
  rows['  hop: commit → master record'] = { value: pct(hops.commitToMasterRecord) };
  rows['  hop: master → share record'] = { value: pct(hops.masterRecordToShareRecord) };
  rows['  hop: share record → sector commit'] = { value: pct(hops.shareRecordToSectorCommit) };
  rows['peak RSS (MiB)'] = {
    value: Object.entries({
      'relay (drain)': obj(relay.peakRssMiB).relay,
      ...obj(e2e.peakRssMiB),
    })
      .map(([name, mib]) => `${name} ${String(mib)}`)
      .join(', '),
  };
  console.table(rows);
}
