/**
 * The share router's CPU per master record without Kafka (issue 17 item 3): decode the
 * master record's Avro, project it for each of the four sectors under the shipped policy,
 * and frame each projection for its share topic — the router's per-record work, timed as
 * CPU time over `--records` records (default 100,000) after a warm-up. Too small an effect
 * for the end-to-end bench's noise shows here. Runs alone in one process:
 * `npx tsx bench/projection.bench.ts [--records N] [--out name]`
 * (or `node dist/bench/projection.bench.js` after `npm run build`). Progress on stderr; one
 * JSON line on stdout, also written to bench/results/ (or bench/results/<out>.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import avsc from 'avsc';
import {
  AvroSerializer,
  type CitizenChanged,
  type CitizenEventType,
  citizenChangedSchema,
  encodeWireFormat,
  decodeWireFormat,
  project,
  projectionSchema,
  type ProjectedCitizenChanged,
  sampleCitizenChanged,
  SECTORS,
  type Sector,
} from '@bus/contracts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
    out: { type: 'string' },
  },
});
const records = Number(values.records);
const rounds = Number(values.rounds);

// The end-to-end bench's mix: initial loads (RECORD_CORRECTED), residence and name changes.
const MIX: CitizenEventType[] = [
  'RECORD_CORRECTED',
  'PERMANENT_RESIDENCE_CHANGED',
  'TEMPORARY_RESIDENCE_CHANGED',
  'NAME_CHANGED',
  'BIRTH_REGISTERED',
];
const master = avsc.Type.forSchema(citizenChangedSchema() as avsc.Schema);
const resolver = master.createResolver(master);
const DISTINCT = 1_000;
const frames: Buffer[] = [];
for (let i = 0; i < DISTINCT; i++) {
  const id = String(1_000_000_000 + i * 7919).slice(-9);
  const event = sampleCitizenChanged(MIX[i % MIX.length] as CitizenEventType, {
    eventId: `6f1c1d2e-8a4b-4c55-9a70-${String(i).padStart(12, '0')}`,
    personalId: `079${id}`,
    version: 1 + (i % 9),
  });
  frames.push(encodeWireFormat(1, master.toBuffer(event)));
}
const serializers = Object.fromEntries(
  SECTORS.map((sector, i) => [
    sector,
    AvroSerializer.registered<ProjectedCitizenChanged>(
      `share.${sector}.citizen-changed-value`,
      10 + i,
      projectionSchema(sector),
    ),
  ]),
) as Record<Sector, AvroSerializer<ProjectedCitizenChanged>>;

/** CPU time (user + system) of `work`, in ns: wall time on a shared box counts the neighbours. */
function cpuNs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) * 1_000;
}

let sink = 0;
function decode(n: number): CitizenChanged[] {
  const out: CitizenChanged[] = new Array<CitizenChanged>(n);
  for (let i = 0; i < n; i++) {
    const { payload } = decodeWireFormat(frames[i % DISTINCT]);
    out[i] = master.fromBuffer(payload, resolver) as CitizenChanged;
  }
  return out;
}
function projectAll(events: readonly CitizenChanged[]): (ProjectedCitizenChanged | null)[] {
  const out: (ProjectedCitizenChanged | null)[] = [];
  for (const event of events) for (const sector of SECTORS) out.push(project(sector, event));
  return out;
}
function serializeAll(projected: readonly (ProjectedCitizenChanged | null)[]): void {
  for (let i = 0; i < projected.length; i++) {
    const p = projected[i];
    if (p) sink += serializers[SECTORS[i % SECTORS.length] as Sector].serialize(p).length;
  }
}
/** The router's order per record: decode, then project and frame for every sector. */
function routeAll(n: number): void {
  for (let i = 0; i < n; i++) {
    const { payload } = decodeWireFormat(frames[i % DISTINCT]);
    const event = master.fromBuffer(payload, resolver) as CitizenChanged;
    for (const sector of SECTORS) {
      const p = project(sector, event);
      if (p) sink += serializers[sector].serialize(p).length;
    }
  }
}

const log = (line: string) => process.stderr.write(`projection: ${line}\n`);
// Warm-up: let V8 optimise every path first.
routeAll(Math.min(records, 20_000));
const phases = { decode: [] as number[], project: [] as number[], serialize: [] as number[] };
const route: number[] = [];
for (let round = 0; round < rounds; round++) {
  let events: CitizenChanged[] = [];
  let projected: (ProjectedCitizenChanged | null)[] = [];
  phases.decode.push(cpuNs(() => (events = decode(records))) / records);
  phases.project.push(cpuNs(() => (projected = projectAll(events))) / records);
  phases.serialize.push(cpuNs(() => serializeAll(projected)) / records);
  route.push(cpuNs(() => routeAll(records)) / records);
  log(
    `round ${round + 1}: route ${route.at(-1)?.toFixed(0)} ns/record (decode ${phases.decode.at(-1)?.toFixed(0)}, project x4 ${phases.project.at(-1)?.toFixed(0)}, serialize x4 ${phases.serialize.at(-1)?.toFixed(0)})`,
  );
}
const median = (xs: number[]) => Number([...xs].sort((a, b) => a - b)[xs.length >> 1]?.toFixed(0));
const result = {
  at: new Date().toISOString(),
  scenario: 'projection',
  records,
  rounds,
  loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  node: process.version,
  // Medians over the rounds, CPU ns per master record (four sectors each).
  nsPerRecord: {
    route: median(route),
    decode: median(phases.decode),
    projectFourSectors: median(phases.project),
    serializeFourSectors: median(phases.serialize),
  },
  bytesWritten: sink,
};
const file = join(
  process.cwd(),
  'bench',
  'results',
  `${values.out ?? `projection-${result.at.replaceAll(':', '-')}`}.json`,
);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
