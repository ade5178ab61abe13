import type { OffsetSample } from './lag-status';

export type TrendDirection = 'rising' | 'falling' | 'flat';

export interface LagTrend {
  readonly direction: TrendDirection;
  /** Least-squares slope of the lag in offsets per second over the window. */
  readonly lagPerSecond: number;
  /** Offsets consumed and produced per second over the window. */
  readonly consumeRate: number;
  readonly produceRate: number;
  /**
   * Seconds until the lag reaches 0 at the current net rate: 0 when there is no lag,
   * null when the lag is not shrinking (it would never clear).
   */
  readonly secondsToClear: number | null;
}

const FLAT: LagTrend = {
  direction: 'flat',
  lagPerSecond: 0,
  consumeRate: 0,
  produceRate: 0,
  secondsToClear: 0,
};

export function lagTrend(window: readonly OffsetSample[]): LagTrend {
  const first = window[0];
  const latest = window.at(-1);
  if (!first || !latest) return FLAT;
  const spanSeconds = (latest.at - first.at) / 1000;
  if (window.length < 2 || spanSeconds <= 0) {
    return { ...FLAT, secondsToClear: latest.lag === 0 ? 0 : null };
  }
  const slope = leastSquaresSlope(window.map((s) => [(s.at - first.at) / 1000, s.lag]));
  const consumed =
    latest.committed != null && first.committed != null ? latest.committed - first.committed : 0;
  const consumeRate = Math.max(0, consumed) / spanSeconds;
  const produceRate = Math.max(0, latest.end - first.end) / spanSeconds;
  // Under one offset of change over the whole window is noise, not a trend.
  const direction: TrendDirection =
    Math.abs(slope * spanSeconds) < 1 ? 'flat' : slope > 0 ? 'rising' : 'falling';
  let secondsToClear: number | null;
  if (latest.lag === 0) secondsToClear = 0;
  else {
    // The fitted slope, not the two ends: one late poll must not swing the estimate.
    const netDrain = -slope;
    secondsToClear = netDrain > 0 ? latest.lag / netDrain : null;
  }
  return { direction, lagPerSecond: slope, consumeRate, produceRate, secondsToClear };
}

function leastSquaresSlope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) * (x - mx);
  }
  return den === 0 ? 0 : num / den;
}
