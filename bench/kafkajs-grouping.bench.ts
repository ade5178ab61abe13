/**
 * kafkajs's per-partition grouping of a send, as shipped (a spread per message) and the
 * linear one patches/kafkajs+2.2.4.patch installs: CPU ns per message when one send carries n messages
 * of one partition (the share router's transactions do). Runs alone, in seconds:
 * `npx tsx bench/kafkajs-grouping.bench.ts [--out name]`. One JSON line on stdout, also
 * written to bench/results/ (or bench/results/<out>.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

type Group = (args: {
  topic: string;
  partitionMetadata: readonly unknown[];
  messages: readonly unknown[];
  partitioner: (args: { message: unknown }) => number;
}) => Record<number, unknown[]>;

const { values } = parseArgs({ options: { out: { type: 'string' } } });
// The installed one carries patches/kafkajs+2.2.4.patch.
const linear = createRequire(__filename)('kafkajs/src/producer/groupMessagesPerPartition') as Group;
// kafkajs 2.2.4 as shipped: the lines the patch removes.
const theirs: Group = ({ topic, partitionMetadata, messages, partitioner }) => {
  if (partitionMetadata.length === 0) return {};
  return messages.reduce<Record<number, unknown[]>>((result, message) => {
    const partition = partitioner({ topic, partitionMetadata, message } as { message: unknown });
    const current = result[partition] || [];
    return Object.assign(result, { [partition]: [...current, message] });
  }, {});
};

const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({ partitionId }));
const partitioner = ({ message }: { message: unknown }) =>
  (message as { partition: number }).partition;

function nsPerMessage(group: Group, n: number): number {
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
    sizes.map((n) => [n, { kafkajs: nsPerMessage(theirs, n), linear: nsPerMessage(linear, n) }]),
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
