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

// patches/kafkajs+2.2.4.patch, applied by `npm ci` (patch-package): without it a send whose
// partition leader moves mid-send can drop that partition's records and still resolve
// (docs/reliability.md), and every send of n records to one partition costs O(n²)
// (docs/benchmarks.md, "CPU per event").
interface Produced {
  readonly broker: number;
  readonly partitions: { topic: string; partition: number; messages: number; values: string[] }[];
}

type Partitioner = (args: { message: { partition: number; value: string } }) => number;

/**
 * kafkajs's own sendMessages against a cluster double: partition 0's leader (broker 1) answers
 * NOT_LEADER_OR_FOLLOWER, and the new metadata moves it to broker 2, which has already taken
 * partition 1 in the same send (a broker killed mid-send, seen in the fault campaign).
 */
function sendThroughLeaderMove(partitioner: Partitioner = ({ message }) => message.partition) {
  const createSendMessages = load('kafkajs/src/producer/sendMessages') as (
    options: unknown,
  ) => (request: unknown) => Promise<{ topicName: string; partition: number }[]>;
  const Cluster = load('kafkajs/src/cluster') as { prototype: Record<string, unknown> };
  const createRetry = load('kafkajs/src/retry') as (options: unknown) => unknown;
  const { createErrorFromCode } = load('kafkajs/src/protocol/error') as {
    createErrorFromCode: (code: number) => Error;
  };
  let leaders: Record<number, number> = { 0: 1, 1: 2 };
  const produced: Produced[] = [];
  const broker = (nodeId: number) => ({
    nodeId,
    async produce({ topicData }: { topicData: { topic: string; partitions: never[] }[] }) {
      const partitions = topicData.flatMap(({ topic, partitions: list }) =>
        list.map(
          ({ partition, messages }: { partition: number; messages: { value: string }[] }) => ({
            topic,
            partition,
            messages: messages.length,
            values: messages.map((m) => m.value),
          }),
        ),
      );
      produced.push({ broker: nodeId, partitions });
      if (nodeId === 1) throw createErrorFromCode(6); // NOT_LEADER_OR_FOLLOWER
      return {
        topics: topicData.map(({ topic, partitions: list }) => ({
          topicName: topic,
          partitions: list.map(({ partition }: { partition: number }) => ({
            partition,
            errorCode: 0,
            baseOffset: '0',
          })),
        })),
      };
    },
  });
  const brokers = new Map([1, 2].map((id) => [String(id), broker(id)]));
  const cluster = {
    targetTopics: new Set<string>(),
    findLeaderForPartitions: Cluster.prototype.findLeaderForPartitions,
    findTopicPartitionMetadata: () =>
      [0, 1].map((partitionId) => ({ partitionId, leader: leaders[partitionId] })),
    findBroker: async ({ nodeId }: { nodeId: string }) => brokers.get(String(nodeId)),
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => {
      leaders = { 0: 2, 1: 2 };
    },
    addMultipleTargetTopics: async () => undefined,
    isConnected: () => true,
    removeBroker: () => undefined,
  };
  const eosManager = {
    isTransactional: () => false,
    acquireBrokerLock: async () => undefined,
    releaseBrokerLock: async () => undefined,
    getSequence: () => 0,
    updateSequence: () => undefined,
    getProducerId: () => -1,
    getProducerEpoch: () => 0,
  };
  const logger = { debug: () => undefined, error: () => undefined };
  const send = createSendMessages({
    logger,
    cluster,
    eosManager,
    partitioner,
    retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5 }),
  });
  const messages = [0, 1, 0, 1].map((partition, i) => ({ partition, value: `m${i}` }));
  return { sent: send({ acks: -1, topicMessages: [{ topic: 't', messages }] }), produced };
}

describe('kafkajs as installed (patches/)', () => {
  it('sends a partition whose leader moved to a broker that already answered, and only that', async () => {
    const { sent, produced } = sendThroughLeaderMove();
    const responses = await sent;
    // Shipped, the retry skipped broker 2 (it had answered) and partition 0 was never sent.
    expect(produced).toEqual([
      { broker: 1, partitions: [{ topic: 't', partition: 0, messages: 2, values: ['m0', 'm2'] }] },
      { broker: 2, partitions: [{ topic: 't', partition: 1, messages: 2, values: ['m1', 'm3'] }] },
      { broker: 2, partitions: [{ topic: 't', partition: 0, messages: 2, values: ['m0', 'm2'] }] },
    ]);
    expect(responses.map((r) => `${r.topicName}/${r.partition}`).sort()).toEqual(['t/0', 't/1']);
  });

  it('keeps a retried message in the partition it was grouped into (a keyless one too)', async () => {
    // A keyless partitioner gives no message a fixed partition: here the second round of
    // calls (the retry's, were it to group again) puts each message in the other partition.
    let calls = 0;
    const { sent, produced } = sendThroughLeaderMove(() => {
      const call = calls++;
      return (call + Math.floor(call / 4)) % 2;
    });
    await sent;
    const delivered = produced
      .filter((p) => p.broker === 2)
      .flatMap((p) => p.partitions.flatMap((x) => x.values));
    expect(delivered.sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
  });

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
