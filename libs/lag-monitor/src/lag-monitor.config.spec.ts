import { describe, expect, it } from 'vitest';
import { loadLagMonitorConfig } from './lag-monitor.config';

describe('loadLagMonitorConfig', () => {
  it('defaults to the conventions: port 3001, bus_ops, bus.* groups, four sectors', () => {
    const config = loadLagMonitorConfig({});
    expect(config.port).toBe(3001);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/bus_ops');
    expect(config.groupPrefixes).toEqual(['bus.']);
    expect(config.sectors).toEqual({
      bhyt: 'bus.sync-bhyt',
      land: 'bus.sync-land',
      tax: 'bus.sync-tax',
      tthc: 'bus.sync-tthc',
    });
    expect(config.expectedGroups).toHaveLength(4);
    expect(config.thresholds.defaults).toEqual({ warnSeconds: 60, errorSeconds: 300 });
    expect(config.progressTopic).toBe('ops.sync-progress');
  });

  it('reads per-group thresholds, extra groups and an ops database override', () => {
    const config = loadLagMonitorConfig({
      LAG_THRESHOLDS: 'bus.sync-tax=5:10',
      LAG_GROUPS: 'legacy-app',
      OPS_CONSOLE_DATABASE_URL: 'postgres://u@h:5432/other',
    });
    expect(config.thresholds.byGroup['bus.sync-tax']).toEqual({ warnSeconds: 5, errorSeconds: 10 });
    expect(config.expectedGroups).toContain('legacy-app');
    expect(config.databaseUrl).toBe('postgres://u@h:5432/other');
  });

  it('fails fast with a readable line per bad variable', () => {
    expect(() =>
      loadLagMonitorConfig({ LAG_THRESHOLDS: 'bus.x=9:1', LAG_WINDOW_SIZE: '1' }),
    ).toThrow(/LAG_WINDOW_SIZE: [\s\S]*LAG_THRESHOLDS: .*must not be below/);
    expect(() => loadLagMonitorConfig({ OPS_SECTORS: 'a' })).toThrow(
      /OPS_SECTORS: "a" is not sector=group/,
    );
  });
});
