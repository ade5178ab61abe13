/**
 * Follow-lists at scale (issue 14): 10 million followed personal IDs for one sector in the
 * router's `PersonalIdSet`, its memory, and the cost of the lookup the router makes per event
 * (key bytes to string, then `has`). Runs alone, in one process, in under a minute:
 * `npm run build && node dist/bench/follow-set.bench.js [--follows 10000000]`.
 * Progress on stderr; one JSON line on stdout, also written to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PersonalIdSet } from '@bus/sharing';

const { values } = parseArgs({
  options: {
    follows: { type: 'string', default: '10000000' },
    lookups: { type: 'string', default: '2000000' },
  },
});
const follows = Number(values.follows);
const lookups = Number(values.lookups);

/** A deterministic stream of plausible IDs: province 001-096, then nine digits (xorshift32). */
function ids(seed: number): () => string {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return () => {
    const province = String(1 + (next() % 96)).padStart(3, '0');
    const rest = String(next() % 1_000_000_000).padStart(9, '0');
    return `${province}${rest}`;
  };
}

/** CPU time (user + system) of `work`, in ns: wall time on a shared box counts the neighbours. */
function cpuNs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) * 1_000;
}

const log = (line: string) => process.stderr.write(`follow-set: ${line}\n`);
const heapBefore = process.memoryUsage();
const set = new PersonalIdSet();
const followed = ids(1);
const buildNs = cpuNs(() => {
  while (set.size < follows) set.add(followed());
});
const heapAfter = process.memoryUsage();
log(
  `${set.size} follows in ${(buildNs / 1e9).toFixed(1)} s CPU, table ${(set.bytes / 2 ** 20).toFixed(0)} MiB`,
);

// Keys as the router gets them (Buffers): half followed, half not (almost surely).
const again = ids(1);
const others = ids(2);
const keys: Buffer[] = [];
for (let i = 0; i < lookups; i++) keys.push(Buffer.from(i % 2 === 0 ? again() : others()));
const strings: string[] = new Array<string>(lookups);
const rounds = 3;
const toStringNs = cpuNs(() => {
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < lookups; i++) strings[i] = (keys[i] as Buffer).toString('latin1');
  }
});
let hits = 0;
const hasNs = cpuNs(() => {
  for (let round = 0; round < rounds; round++) for (const id of strings) if (set.has(id)) hits++;
});
const perLookup = (ns: number) => Number((ns / (lookups * rounds)).toFixed(1));
const lookupNs = perLookup(toStringNs) + perLookup(hasNs);
log(`${lookupNs} ns CPU per lookup (${hits} hits of ${lookups * rounds})`);

const result = {
  at: new Date().toISOString(),
  follows: set.size,
  tableMiB: Number((set.bytes / 2 ** 20).toFixed(1)),
  arrayBuffersMiBDelta: Number(
    ((heapAfter.arrayBuffers - heapBefore.arrayBuffers) / 2 ** 20).toFixed(1),
  ),
  rssMiBDelta: Number(((heapAfter.rss - heapBefore.rss) / 2 ** 20).toFixed(1)),
  buildCpuSeconds: Number((buildNs / 1e9).toFixed(2)),
  lookupCpuNsPerEvent: Number(lookupNs.toFixed(1)),
  keyToStringCpuNs: perLookup(toStringNs),
  hasCpuNs: perLookup(hasNs),
  loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  lookups: lookups * rounds,
  hitRatio: Number((hits / (lookups * rounds)).toFixed(3)),
  node: process.version,
  note: 'CPU time: lookup = key Buffer to string + PersonalIdSet.has, as the router would per event and followed sector',
};
// Run from the repository root, as npm scripts are.
const dir = join(process.cwd(), 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, `follow-set-${result.at.replaceAll(':', '-')}.json`),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(JSON.stringify(result));
