import { describe, expect, it } from 'vitest';
import { EndOffsetTable, lagSeconds } from './time-lag';

const table = (points: [offset: number, atSeconds: number][], limit = 60) => {
  const t = new EndOffsetTable(limit);
  for (const [offset, at] of points) t.add({ offset, at: at * 1000 });
  return t;
};

describe('EndOffsetTable', () => {
  it('interpolates the produce time between the bracketing samples', () => {
    const t = table([
      [0, 0],
      [100, 10],
      [200, 30],
    ]);
    expect(t.producedAt(50)).toBe(5_000);
    expect(t.producedAt(150)).toBe(20_000);
    expect(lagSeconds(t, 150, 40_000)).toBe(20);
  });

  it('reads 0 when the committed offset is at the end, however long the partition idles', () => {
    const t = table([
      [0, 0],
      [10, 1],
    ]);
    for (let at = 2; at < 500; at++) t.add({ offset: 10, at: at * 1000 });
    expect(lagSeconds(t, 10, 500_000)).toBe(0);
  });

  it('keeps only the ends of a flat run, so idling does not flush the history', () => {
    const t = table([[0, 0]], 4);
    t.add({ offset: 10, at: 1000 });
    for (let at = 2; at < 100; at++) t.add({ offset: 10, at: at * 1000 });
    expect(t.size).toBe(3);
    // Offset 5 was produced between 0 s and 1 s, not at the end of the idle stretch.
    expect(t.producedAt(5)).toBe(500);
  });

  it('dates an offset after a flat run by the end of the run', () => {
    const t = table([
      [10, 0],
      [10, 50],
      [20, 60],
    ]);
    expect(t.producedAt(10)).toBe(50_000);
    expect(t.producedAt(15)).toBe(55_000);
  });

  it('extrapolates backwards for offsets older than the table', () => {
    const t = table([
      [100, 10],
      [200, 20],
    ]);
    expect(t.producedAt(50)).toBe(5_000);
    expect(lagSeconds(t, 50, 25_000)).toBe(20);
  });

  it('falls back to the oldest point when the table has no slope yet', () => {
    const t = table([[100, 10]]);
    expect(t.producedAt(40)).toBe(10_000);
  });

  it('is bounded and restarts when the end offset goes back (topic recreated)', () => {
    const t = table(
      [
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      3,
    );
    expect(t.size).toBe(3);
    expect(t.snapshot()[0]).toEqual({ offset: 1, at: 1000 });
    t.add({ offset: 0, at: 4000 });
    expect(t.snapshot()).toEqual([{ offset: 0, at: 4000 }]);
  });

  it('rejects a table too small to interpolate', () => {
    expect(() => new EndOffsetTable(1)).toThrow(RangeError);
  });

  it('never reports negative lag for a produce estimate in the future', () => {
    const t = table([
      [0, 0],
      [10, 100],
    ]);
    expect(lagSeconds(t, 5, 10_000)).toBe(0);
  });
});
