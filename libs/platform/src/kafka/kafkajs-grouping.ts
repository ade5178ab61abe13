import Module, { createRequire } from 'node:module';

interface GroupArgs {
  readonly topic: string;
  readonly partitionMetadata: readonly unknown[];
  readonly messages: readonly unknown[];
  readonly partitioner: (args: {
    topic: string;
    partitionMetadata: readonly unknown[];
    message: unknown;
  }) => number;
}

/**
 * kafkajs 2.2.4's `groupMessagesPerPartition`, linear. Theirs copies the partition's list
 * for every message (`[...current, message]`), O(n²) in the messages of one partition: the
 * share router sends a transaction's records of one partition together, 2–8 µs of CPU per
 * message at 100–3,000 messages (docs/benchmarks.md, "CPU per event"). Same result: the
 * messages of each partition in their order.
 */
export function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: GroupArgs): Record<number, unknown[]> {
  if (partitionMetadata.length === 0) return {};
  const result: Record<number, unknown[]> = {};
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

const load = createRequire(__filename);
const GROUPING = 'kafkajs/src/producer/groupMessagesPerPartition';

/**
 * Puts the linear grouping in Node's module cache before kafkajs's producer requires its
 * own (this module is the first import of `@bus/platform`, which loads kafkajs). False when
 * kafkajs was loaded before: it then keeps its own, which is only slower.
 */
function install(): boolean {
  const file = load.resolve(GROUPING);
  if (load.cache[load.resolve('kafkajs/src/producer/sendMessages')] !== undefined) {
    return load.cache[file]?.exports === groupMessagesPerPartition;
  }
  const replacement = new Module(file);
  replacement.filename = file;
  replacement.loaded = true;
  replacement.exports = groupMessagesPerPartition;
  load.cache[file] = replacement;
  return true;
}

/** Whether kafkajs's producer groups with `groupMessagesPerPartition` above. */
export const kafkajsGroupingIsLinear = install();
