import { describe, expect, it } from 'vitest';
import { evaluatePartition, worstStatus, type OffsetSample } from './lag-status';

const s = (at: number, committed: number | null, end: number): OffsetSample => ({
  at: at * 1000,
  committed,
  end,
  lag: end - (committed ?? 0),
});
const ctx = (now: number, lastMovedAt: number, hasMembers = true) => ({
  now: now * 1000,
  lastMovedAt: lastMovedAt * 1000,
  hasMembers,
});

describe('evaluatePartition (Burrow rules)', () => {
  it('is OK with no samples and when the current lag is 0', () => {
    expect(evaluatePartition([], ctx(0, 0)).status).toBe('OK');
    const window = [s(0, 5, 10), s(1, 10, 10)];
    expect(evaluatePartition(window, ctx(100, 0, false)).status).toBe('OK');
  });

  it('is OK when lag was 0 somewhere in the window', () => {
    const window = [s(0, 10, 10), s(1, 10, 12), s(2, 11, 14)];
    expect(evaluatePartition(window, ctx(2, 2)).status).toBe('OK');
  });

  it('is STOP when nobody consumes and nothing moved for longer than the window span', () => {
    const window = [s(0, 5, 10), s(1, 5, 12), s(2, 5, 14)];
    const result = evaluatePartition(window, ctx(5, 0, false));
    expect(result.status).toBe('STOP');
    expect(result.reason).toMatch(/no consumer/);
  });

  it('is STOP rather than OK even if lag was once 0, when the consumer left long ago', () => {
    const window = [s(0, 10, 10), s(1, 10, 12), s(2, 10, 14)];
    expect(evaluatePartition(window, ctx(3, 0, false)).status).toBe('STOP');
  });

  it('is STALL when a live consumer commits but the offset does not move', () => {
    const window = [s(0, 5, 10), s(1, 5, 10), s(2, 5, 10)];
    expect(evaluatePartition(window, ctx(2, 0, true)).status).toBe('STALL');
  });

  it('is REWIND when the committed offset goes back', () => {
    const window = [s(0, 8, 10), s(1, 9, 12), s(2, 4, 12)];
    const result = evaluatePartition(window, ctx(2, 2));
    expect(result.status).toBe('REWIND');
    expect(result.reason).toContain('9 to 4');
  });

  it('is WARN when offsets move but lag never decreases', () => {
    const window = [s(0, 1, 5), s(1, 2, 7), s(2, 3, 9), s(3, 4, 11)];
    expect(evaluatePartition(window, ctx(3, 3)).status).toBe('WARN');
  });

  it('is OK when offsets move and lag comes down', () => {
    const window = [s(0, 1, 10), s(1, 3, 10), s(2, 6, 11)];
    expect(evaluatePartition(window, ctx(2, 2)).status).toBe('OK');
  });

  it('does not call a single sample with lag a stall', () => {
    expect(evaluatePartition([s(0, 1, 10)], ctx(0, 0, false)).status).toBe('OK');
  });

  it('treats a partition never committed with no members and lag as STOP', () => {
    const window = [s(0, null, 3), s(1, null, 3)];
    expect(evaluatePartition(window, ctx(2, 0, false)).status).toBe('STOP');
  });
});

describe('worstStatus', () => {
  it('takes the most severe status in Burrow order', () => {
    expect(worstStatus([])).toBe('OK');
    expect(worstStatus(['OK', 'WARN', 'OK'])).toBe('WARN');
    expect(worstStatus(['WARN', 'STOP', 'ERR'])).toBe('STOP');
    expect(worstStatus(['STALL', 'REWIND', 'STOP'])).toBe('REWIND');
  });
});
