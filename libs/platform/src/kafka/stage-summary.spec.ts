import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../logging/logger';
import { StageSummary } from './stage-summary';

afterEach(() => vi.useRealTimers());

describe('StageSummary', () => {
  it('logs one info line per interval with records, rate, lag and failures; nothing when idle', () => {
    vi.useFakeTimers();
    const info = vi.fn();
    const summary = new StageSummary({ info } as unknown as Logger, 10_000);
    summary.start();
    summary.batch('t:0', 40, 5);
    summary.batch('t:1', 60, 2);
    summary.batch('t:0', 100, 0);
    summary.failure();
    vi.advanceTimersByTime(10_000);
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0]).toEqual([
      { records: 200, perSecond: 20, lag: 2, failedAttempts: 1, seconds: 10 },
      'stage summary',
    ]);
    vi.advanceTimersByTime(30_000);
    expect(info).toHaveBeenCalledTimes(1);
    summary.batch('t:1', 3, 0);
    summary.stop();
    expect(info).toHaveBeenCalledTimes(2);
  });
});
