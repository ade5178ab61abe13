import { describe, expect, it } from 'vitest';
import { ownerOf, summariseProfile } from './cpu-profile';
import { percentile } from './run-context';

const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

describe('summariseProfile', () => {
  it('gives each sample its time delta as self time, leaves idle out, and groups by owner', () => {
    const summary = summariseProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('(idle)', '') },
        {
          id: 3,
          callFrame: frame('send', 'file:///r/node_modules/kafkajs/src/producer/index.js', 9),
        },
        { id: 4, callFrame: frame('applyBatch', 'file:///r/dist/libs/sector-sync/src/x.js', 41) },
      ],
      samples: [2, 3, 3, 4, 2],
      timeDeltas: [5_000, 1_000, 2_000, 1_000, 7_000],
      startTime: 0,
      endTime: 20_000,
    });
    expect(summary.wallMs).toBe(20);
    expect(summary.busyMs).toBe(4);
    expect(summary.byOwner).toEqual([
      { name: 'kafkajs', selfMs: 3, percent: 75 },
      { name: '@bus/sector-sync', selfMs: 1, percent: 25 },
    ]);
    expect(summary.topFunctions[0]?.name).toBe(
      'send node_modules/kafkajs/src/producer/index.js:10',
    );
  });
});

describe('ownerOf', () => {
  it('names scoped packages, our libs and apps, node internals and native frames', () => {
    expect(ownerOf('file:///r/node_modules/@kafkajs/confluent-schema-registry/x.js', 'f')).toBe(
      '@kafkajs/confluent-schema-registry',
    );
    expect(ownerOf('file:///r/dist/apps/share-router/src/main.js', 'f')).toBe('apps/share-router');
    expect(ownerOf('node:internal/modules/cjs/loader', 'f')).toBe('node:internal');
    expect(ownerOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});

describe('percentile', () => {
  it('takes the nearest rank and is null without samples', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
