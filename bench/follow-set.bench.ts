/**
 * Follow-lists at scale (issue 14): 10 million followed personal IDs for one sector in the
 * router's `PersonalIdSet`, its memory, and the cost of the lookup the router makes per event
 * (key bytes to string, then `has`). Runs alone, in one process, in under a minute:
 * `npm run build && node dist/bench/follow-set.bench.js [--follows 10000000]`.
 * Progress on stderr; one JSON line on stdout, also written to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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

/** A deterministic stream of plausible IDs: province 001-096, then nine digits. */
function ids(seed: number): () => string {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state;
  };
  return () => {
    const province = String(1 + (next() % 96)).padStart(3, '0');
    const rest = String((next() % 1_000_000) * 1_000 + (next() % 1_000)).padStart(9, '0');
    return `${province}${rest}`;
  };
}

const log = (line: string) => process.stderr.write(`follow-set: ${line}\n`);
const heapBefore = process.memoryUsage();
const set = new PersonalIdSet();
const startBuild = performance.now();
const followed = ids(1);
for (let i = 0; i < follows; i++) set.add(followed());
const buildSeconds = (performance.now() - startBuild) / 1000;
const heapAfter = process.memoryUsage();
log(
  `${set.size} follows in ${buildSeconds.toFixed(1)} s, table ${(set.bytes / 2 ** 20).toFixed(0)} MiB`,
);

// Keys as the router gets them (Buffers): half followed, half not.
const again = ids(1);
const others = ids(2);
const keys: Buffer[] = [];
for (let i = 0; i < lookups; i++) keys.push(Buffer.from(i % 2 === 0 ? again() : others()));
let hits = 0;
const rounds = 3;
const startLookup = performance.now();
for (let round = 0; round < rounds; round++) {
  for (const key of keys) if (set.has(key.toString('latin1'))) hits++;
}
const lookupNs = ((performance.now() - startLookup) * 1e6) / (lookups * rounds);
log(`${lookupNs.toFixed(0)} ns per lookup (${hits} hits of ${lookups * rounds})`);

const result = {
  at: new Date().toISOString(),
  follows: set.size,
  tableMiB: Number((set.bytes / 2 ** 20).toFixed(1)),
  arrayBuffersMiBDelta: Number(
    ((heapAfter.arrayBuffers - heapBefore.arrayBuffers) / 2 ** 20).toFixed(1),
  ),
  rssMiBDelta: Number(((heapAfter.rss - heapBefore.rss) / 2 ** 20).toFixed(1)),
  buildSeconds: Number(buildSeconds.toFixed(2)),
  lookupNsPerEvent: Number(lookupNs.toFixed(1)),
  lookups: lookups * rounds,
  hitRatio: Number((hits / (lookups * rounds)).toFixed(3)),
  node: process.version,
  note: 'lookup = key Buffer to string + PersonalIdSet.has, as the router does per event and followed sector',
};
// Run from the repository root, as npm scripts are.
const dir = join(process.cwd(), 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, `follow-set-${result.at.replaceAll(':', '-')}.json`),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(JSON.stringify(result));
