import type { Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

const contribution = {
  topicMessages: [{ topic: 'share.bhyt.citizen-changed', messages: [{ value: 'x' }] }],
  source: { topic: 'population.citizen-changed', partition: 0, offset: '1' },
};

function producerWhose(transaction: () => Promise<unknown>): Producer {
  return { transaction } as unknown as Producer;
}

describe('GroupCommit', () => {
  it('reports the producer broken when an abort fails, and fails the batch', async () => {
    const broken: unknown[] = [];
    const sendFailure = new Error('broker gone');
    const producer = producerWhose(async () => ({
      sendBatch: () => Promise.reject(sendFailure),
      sendOffsets: () => Promise.resolve(),
      commit: () => Promise.resolve(),
      abort: () => Promise.reject(new Error('abort timed out')),
    }));
    const commits = new GroupCommit(
      () => producer,
      'bus.share-router',
      (e) => broken.push(e),
    );
    await expect(commits.submit(contribution)).rejects.toBe(sendFailure);
    expect(broken).toHaveLength(1);
  });

  it('reports it broken when no transaction can begin (kafkajs stuck in ABORTING)', async () => {
    const broken: unknown[] = [];
    const stuck = new Error(
      'Transaction state exception: Cannot call "beginTransaction" in state "ABORTING"',
    );
    const commits = new GroupCommit(
      () => producerWhose(() => Promise.reject(stuck)),
      'bus.share-router',
      (e) => broken.push(e),
    );
    await expect(commits.submit(contribution)).rejects.toBe(stuck);
    expect(broken).toEqual([stuck]);
  });

  it('does not report a failed batch whose abort succeeded', async () => {
    const broken: unknown[] = [];
    const producer = producerWhose(async () => ({
      sendBatch: () => Promise.reject(new Error('broker gone')),
      sendOffsets: () => Promise.resolve(),
      commit: () => Promise.resolve(),
      abort: () => Promise.resolve(),
    }));
    const commits = new GroupCommit(
      () => producer,
      'bus.share-router',
      (e) => broken.push(e),
    );
    await expect(commits.submit(contribution)).rejects.toThrow('broker gone');
    expect(broken).toEqual([]);
  });
});
