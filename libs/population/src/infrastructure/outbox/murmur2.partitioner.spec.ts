import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { Murmur2Partitioner } from './murmur2.partitioner';

const metadata = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
    offlineReplicas: [],
  }));

describe('Murmur2Partitioner', () => {
  it("puts every key where kafkajs's DefaultPartitioner (Java-compatible murmur2) puts it", () => {
    const ours = Murmur2Partitioner();
    const theirs = Partitioners.DefaultPartitioner();
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (const partitions of [1, 3, 12, 50]) {
      const partitionMetadata = metadata(partitions);
      for (let i = 0; i < 2_000; i++) {
        // 12-digit personal IDs, plus other lengths for every tail case of the hash.
        const key =
          i % 2 === 0
            ? String(next() % 1_000_000_000_000).padStart(12, '0')
            : 'k'.repeat(next() % 7) + String(next());
        const message = { key, value: null };
        expect(ours({ topic: 't', partitionMetadata, message })).toBe(
          theirs({ topic: 't', partitionMetadata, message }),
        );
      }
    }
  });

  it('keeps an explicit partition', () => {
    expect(
      Murmur2Partitioner()({
        topic: 't',
        partitionMetadata: metadata(12),
        message: { key: 'x', value: null, partition: 5 },
      }),
    ).toBe(5);
  });
});
