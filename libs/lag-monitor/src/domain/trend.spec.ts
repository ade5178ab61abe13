import { describe, expect, it } from 'vitest';
import type { OffsetSample } from './lag-status';
import { lagTrend } from './trend';

const s = (at: number, committed: number, end: number): OffsetSample => ({
  at: at * 1000,
  committed,
  end,
  lag: end - committed,
});

describe('lagTrend', () => {
  it('is flat with nothing to clear for an empty or caught-up window', () => {
    expect(lagTrend([]).secondsToClear).toBe(0);
    const t = lagTrend([s(0, 10, 10), s(1, 10, 10)]);
    expect(t.direction).toBe('flat');
    expect(t.secondsToClear).toBe(0);
  });

  it('estimates the time to clear from the falling lag', () => {
    // Lag falls by 10 per second from 100: 60 left at 4 s, clear in 6 s.
    const window = [0, 1, 2, 3, 4].map((i) => s(i, i * 20, 100 + i * 10));
    const t = lagTrend(window);
    expect(t.direction).toBe('falling');
    expect(t.lagPerSecond).toBeCloseTo(-10);
    expect(t.consumeRate).toBeCloseTo(20);
    expect(t.produceRate).toBeCloseTo(10);
    expect(t.secondsToClear).toBeCloseTo(6);
  });

  it('never clears when the lag grows', () => {
    const window = [0, 1, 2].map((i) => s(i, 0, i * 5 + 1));
    const t = lagTrend(window);
    expect(t.direction).toBe('rising');
    expect(t.secondsToClear).toBeNull();
  });

  it('never clears a stuck lag', () => {
    const t = lagTrend([s(0, 5, 10), s(1, 5, 10)]);
    expect(t.direction).toBe('flat');
    expect(t.secondsToClear).toBeNull();
  });

  it('cannot tell a trend from one sample', () => {
    expect(lagTrend([s(0, 0, 4)]).secondsToClear).toBeNull();
  });
});
