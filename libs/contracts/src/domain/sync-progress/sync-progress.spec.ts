import { describe, expect, it } from 'vitest';
import { parseSyncProgress } from './sync-progress';

describe('parseSyncProgress', () => {
  const valid = {
    group: 'bus.sync-bhyt',
    topic: 'share.bhyt.citizen-changed',
    partition: 2,
    offset: 120,
    lastOccurredAt: '2026-01-01T00:00:00.000Z',
    lastRecordedAt: '2026-01-01T00:00:01.000Z',
    appliedAt: '2026-01-01T00:00:02.000Z',
    applied: 100,
    skipped: 19,
    deadLettered: 1,
  };

  it('reads the pinned contract, with the offset as a string', () => {
    expect(parseSyncProgress(JSON.stringify(valid))).toEqual({ ...valid, offset: '120' });
  });

  it('keeps a 64-bit offset exact, and accepts a number from older writers', () => {
    const big = '9007199254740993';
    expect(parseSyncProgress(JSON.stringify({ ...valid, offset: big })).offset).toBe(big);
    expect(parseSyncProgress(JSON.stringify({ ...valid, offset: '120' })).offset).toBe('120');
    expect(() => parseSyncProgress(JSON.stringify({ ...valid, offset: '12a' }))).toThrow(/offset/);
  });

  it('rejects records that break it, naming the field', () => {
    expect(() => parseSyncProgress(JSON.stringify({ ...valid, group: '' }))).toThrow(/group/);
    expect(() => parseSyncProgress(JSON.stringify({ ...valid, appliedAt: 'soon' }))).toThrow(
      /appliedAt/,
    );
    expect(() => parseSyncProgress(JSON.stringify({ ...valid, offset: -1 }))).toThrow(/offset/);
    expect(() => parseSyncProgress('not json')).toThrow();
  });
});
