/**
 * kafkajs's per-partition grouping of a send, as shipped (a spread per message) and the
 * linear one `@bus/platform` installs: CPU ns per message when one send carries n messages
 * of one partition (the share router's transactions do). Runs alone, in seconds:
 * `npx tsx bench/kafkajs-grouping.bench.ts [--out name]`. One JSON line on stdout, also
 * written to bench/results/ (or bench/results/<out>.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { groupMessagesPerPartition } from '@bus/platform';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const load = createRequire(__filename);
// The file as shipped, compiled apart from the module cache entry @bus/platform replaced.
const shipped = join(dirname(load.resolve('kafkajs')), 'src/producer/groupMessagesPerPartition.js');
const { readFileSync } = load('node:fs') as typeof import('node:fs');
const theirs = new Function('module', `${readFileSync(shipped, 'utf8')}; return module.exports;`)(
  {},
) as typeof groupMessagesPerPartition;

const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({ partitionId }));
const partitioner = ({ message }: { message: unknown }) =>
  (message as { partition: number }).partition;

function nsPerMessage(group: typeof groupMessagesPerPartition, n: number): number {
  const messages = Array.from({ length: n }, () => ({ partition: 0, value: 'x' }));
  const reps = Math.max(5, Math.floor(400_000 / n));
  for (let r = 0; r < 3; r++) group({ topic: 't', partitionMetadata, messages, partitioner });
  const before = process.cpuUsage();
  for (let r = 0; r < reps; r++) group({ topic: 't', partitionMetadata, messages, partitioner });
  const used = process.cpuUsage(before);
  return Number((((used.user + used.system) * 1_000) / (reps * n)).toFixed(0));
}

const sizes = [100, 500, 1_000, 3_000];
const result = {
  at: new Date().toISOString(),
  scenario: 'kafkajs-grouping',
  loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  node: process.version,
  // CPU ns per message, messages of one partition in one send.
  nsPerMessage: Object.fromEntries(
    sizes.map((n) => [
      n,
      { kafkajs: nsPerMessage(theirs, n), linear: nsPerMessage(groupMessagesPerPartition, n) },
    ]),
  ),
};
const file = join(
  process.cwd(),
  'bench',
  'results',
  `${values.out ?? `kafkajs-grouping-${result.at.replaceAll(':', '-')}`}.json`,
);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
