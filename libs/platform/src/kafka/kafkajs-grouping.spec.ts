import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { kafkajsGroupingIsLinear, groupMessagesPerPartition } from '@bus/platform';

const load = createRequire(__filename);

describe('kafkajs per-partition grouping', () => {
  it('is the linear one once @bus/platform is loaded', () => {
    expect(kafkajsGroupingIsLinear).toBe(true);
    expect(load('kafkajs/src/producer/sendMessages')).toBeTypeOf('function');
    expect(load('kafkajs/src/producer/groupMessagesPerPartition')).toBe(groupMessagesPerPartition);
  });

  it('groups like kafkajs: each partition its messages, in order', () => {
    const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({ partitionId }));
    const messages = Array.from({ length: 500 }, (_, i) => ({ partition: (i * 7) % 12, i }));
    const partitioner = ({ message }: { message: unknown }) =>
      (message as { partition: number }).partition;
    const grouped = groupMessagesPerPartition({
      topic: 't',
      partitionMetadata,
      messages,
      partitioner,
    });
    // kafkajs's own, as shipped (reduce with a spread per message).
    const theirs = messages.reduce<Record<number, unknown[]>>((result, message) => {
      const partition = partitioner({ message });
      return Object.assign(result, { [partition]: [...(result[partition] ?? []), message] });
    }, {});
    expect(grouped).toEqual(theirs);
    expect(
      groupMessagesPerPartition({ topic: 't', partitionMetadata: [], messages, partitioner }),
    ).toEqual({});
  });
});
