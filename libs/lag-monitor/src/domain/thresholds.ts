import { ConfigError } from '@bus/platform/pure';
import { severityOf, type LagStatus } from './lag-status';

/** Lag in seconds above which a group is WARN, then ERR, whatever Burrow's rules say. */
export interface LagThreshold {
  readonly warnSeconds: number;
  readonly errorSeconds: number;
}

export interface ThresholdTable {
  readonly defaults: LagThreshold;
  readonly byGroup: Readonly<Record<string, LagThreshold>>;
}

export function thresholdFor(table: ThresholdTable, group: string): LagThreshold {
  return table.byGroup[group] ?? table.defaults;
}

/** Parses `warn:error` seconds, e.g. `60:300`. */
export function parseThreshold(text: string): LagThreshold {
  const match = /^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) throw new ConfigError(`"${text}" is not warn:error seconds such as 60:300`);
  const warnSeconds = Number(match[1]);
  const errorSeconds = Number(match[2]);
  if (errorSeconds < warnSeconds) {
    throw new ConfigError(`"${text}": the error threshold must not be below the warning threshold`);
  }
  return { warnSeconds, errorSeconds };
}

/** Parses `group=warn:error,group=warn:error` (empty = no overrides). */
export function parseGroupThresholds(text: string): Record<string, LagThreshold> {
  const result: Record<string, LagThreshold> = {};
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (!entry) continue;
    const at = entry.lastIndexOf('=');
    if (at <= 0) throw new ConfigError(`"${entry}" is not group=warn:error`);
    result[entry.slice(0, at).trim()] = parseThreshold(entry.slice(at + 1));
  }
  return result;
}

/** Escalates a Burrow status when the lag in seconds crosses the group's thresholds. */
export function applyThreshold(
  status: LagStatus,
  lagSeconds: number,
  threshold: LagThreshold,
): { status: LagStatus; breached: 'none' | 'warn' | 'error' } {
  const breached =
    lagSeconds > threshold.errorSeconds
      ? 'error'
      : lagSeconds > threshold.warnSeconds
        ? 'warn'
        : 'none';
  const floor: LagStatus = breached === 'error' ? 'ERR' : breached === 'warn' ? 'WARN' : 'OK';
  return { status: severityOf(floor) > severityOf(status) ? floor : status, breached };
}
