import { describe, expect, it } from 'vitest';
import { applyThreshold, parseGroupThresholds, parseThreshold, thresholdFor } from './thresholds';

describe('thresholds', () => {
  it('parses warn:error seconds and per-group overrides', () => {
    expect(parseThreshold('60:300')).toEqual({ warnSeconds: 60, errorSeconds: 300 });
    expect(parseGroupThresholds('bus.sync-bhyt=10:30, bus.sync-tax = 5.5:6')).toEqual({
      'bus.sync-bhyt': { warnSeconds: 10, errorSeconds: 30 },
      'bus.sync-tax': { warnSeconds: 5.5, errorSeconds: 6 },
    });
    expect(parseGroupThresholds('')).toEqual({});
  });

  it('rejects malformed or inverted thresholds', () => {
    expect(() => parseThreshold('abc')).toThrow(/warn:error/);
    expect(() => parseThreshold('300:60')).toThrow(/must not be below/);
    expect(() => parseGroupThresholds('bus.x')).toThrow(/group=warn:error/);
  });

  it('falls back to the defaults for groups without an override', () => {
    const table = {
      defaults: { warnSeconds: 60, errorSeconds: 300 },
      byGroup: { a: { warnSeconds: 1, errorSeconds: 2 } },
    };
    expect(thresholdFor(table, 'a').warnSeconds).toBe(1);
    expect(thresholdFor(table, 'b').warnSeconds).toBe(60);
  });

  it('escalates but never softens a status', () => {
    const t = { warnSeconds: 10, errorSeconds: 60 };
    expect(applyThreshold('OK', 5, t)).toEqual({ status: 'OK', breached: 'none' });
    expect(applyThreshold('OK', 11, t)).toEqual({ status: 'WARN', breached: 'warn' });
    expect(applyThreshold('WARN', 61, t)).toEqual({ status: 'ERR', breached: 'error' });
    expect(applyThreshold('STOP', 61, t)).toEqual({ status: 'STOP', breached: 'error' });
  });
});
