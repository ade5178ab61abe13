import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Group = (args: {
  topic: string;
  partitionMetadata: readonly unknown[];
  messages: readonly unknown[];
  partitioner: (args: { message: unknown }) => number;
}) => Record<number, unknown[]>;

const load = createRequire(__filename);
const GROUPING = 'kafkajs/src/producer/groupMessagesPerPartition';

// patches/kafkajs+2.2.4.patch, applied by `npm ci` (patch-package): without it every send of
// n records to one partition costs O(n²) (docs/benchmarks.md, "CPU per event").
describe('kafkajs as installed (patches/)', () => {
  it('carries the linear per-partition grouping', () => {
    expect(readFileSync(load.resolve(GROUPING), 'utf8')).toContain(
      'Patched by the citizen-data bus',
    );
    expect(readFileSync(load.resolve(GROUPING), 'utf8')).not.toContain('[...current, message]');
  });

  it('groups like kafkajs as shipped: each partition its messages, in order', () => {
    const grouping = load(GROUPING) as Group;
    const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({ partitionId }));
    const messages = Array.from({ length: 500 }, (_, i) => ({ partition: (i * 7) % 12, i }));
    const partitioner = ({ message }: { message: unknown }) =>
      (message as { partition: number }).partition;
    // kafkajs 2.2.4 as shipped (a reduce with a spread per message).
    const shipped = messages.reduce<Record<number, unknown[]>>((result, message) => {
      const partition = partitioner({ message });
      return Object.assign(result, { [partition]: [...(result[partition] ?? []), message] });
    }, {});
    expect(grouping({ topic: 't', partitionMetadata, messages, partitioner })).toEqual(shipped);
    expect(grouping({ topic: 't', partitionMetadata: [], messages, partitioner })).toEqual({});
  });
});
