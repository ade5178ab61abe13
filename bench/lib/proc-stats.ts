import { readFileSync, readdirSync } from 'node:fs';
import type { Pool } from '@bus/platform';
import { cpuMs, peakRssMiB } from './child-app';

const TICKS_PER_SECOND = 100;

/** Seconds since boot at which the process started (/proc/<pid>/stat field 22). */
function startedAtSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

const uptimeSeconds = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);

/** A process the bench accounts CPU and memory for, by name (several pids add up). */
export interface MeteredProcess {
  readonly name: string;
  readonly pids: () => readonly number[];
}

/** The pid plus its descendants (a launcher script's JVM, say), from /proc/<pid>/task/<pid>/children. */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    const current = all[i]!;
    try {
      const children = readFileSync(`/proc/${current}/task/${current}/children`, 'utf8').trim();
      if (children) all.push(...children.split(/\s+/).map(Number));
    } catch {
      // gone
    }
  }
  return all;
}

/** The broker (BENCH_KAFKA_PID, set by `npm run bench`), else any java process running kafka.Kafka. */
export function kafkaPids(): number[] {
  const given = Number(process.env.BENCH_KAFKA_PID);
  if (Number.isInteger(given) && given > 0) return processTree(given);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('kafka.Kafka') && cmd.includes(process.env.KAFKA_BROKERS ?? '')) {
        found.push(Number(entry));
      }
    } catch {
      // gone
    }
  }
  return found;
}

/**
 * The PostgreSQL backends serving the given databases right now (the server is shared with
 * other people's work: its background processes and other databases are left out, so this
 * reads a little low: WAL writer and checkpointer are not counted).
 */
export class PostgresBackends {
  private current: number[] = [];

  constructor(
    private readonly admin: Pool,
    private readonly databases: readonly string[],
  ) {}

  async refresh(): Promise<void> {
    const { rows } = await this.admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[]) AND pid <> pg_backend_pid()',
      [this.databases],
    );
    this.current = rows.map((r) => r.pid);
  }

  readonly pids = (): readonly number[] => this.current;
}

/**
 * CPU time of named processes over an interval, from /proc/<pid>/stat (utime + stime).
 * A pid that exits during the interval loses what it used since the last sample: sample
 * (`tick`) while the work runs so that short-lived backends are counted up to then.
 */
export class CpuMeter {
  private readonly start = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private begunAt = 0;

  constructor(private readonly processes: readonly MeteredProcess[]) {}

  /** Records the current CPU time of every pid; a pid seen for the first time starts at its current value. */
  tick(): void {
    for (const p of this.processes) {
      for (const pid of p.pids()) {
        const used = cpuMs(pid);
        if (used === undefined) continue;
        if (!this.start.has(pid)) {
          // Born inside the interval (a new pool connection's backend): all of its CPU counts.
          const born = startedAtSeconds(pid) ?? 0;
          this.start.set(pid, born > this.begunAt ? 0 : used);
        }
        this.last.set(pid, used);
      }
    }
  }

  /** Starts the interval now (pids appearing later are counted from when first seen). */
  begin(): this {
    this.start.clear();
    this.last.clear();
    this.begunAt = uptimeSeconds();
    this.tick();
    return this;
  }

  /** CPU ms used per process name since begin(). */
  usedMs(): Record<string, number> {
    this.tick();
    const result: Record<string, number> = {};
    for (const p of this.processes) {
      let sum = 0;
      for (const pid of new Set(p.pids()))
        sum += (this.last.get(pid) ?? 0) - (this.start.get(pid) ?? 0);
      result[p.name] = Math.round(sum);
    }
    return result;
  }
}

/** ms of CPU per unit of work, per process and in total. */
export function perUnit(usedMs: Record<string, number>, units: number): Record<string, number> {
  const result: Record<string, number> = {};
  let total = 0;
  for (const [name, ms] of Object.entries(usedMs)) {
    result[name] = Number((ms / Math.max(1, units)).toFixed(4));
    total += ms;
  }
  result.total = Number((total / Math.max(1, units)).toFixed(4));
  return result;
}

/** Peak RSS (VmHWM) of each pid in MiB, the largest per name. */
export function peakRss(processes: readonly MeteredProcess[]): Record<string, number | undefined> {
  const result: Record<string, number | undefined> = {};
  for (const p of processes) {
    for (const pid of p.pids()) {
      const mib = peakRssMiB(pid);
      if (mib !== undefined) result[p.name] = Math.max(result[p.name] ?? 0, mib);
    }
  }
  return result;
}
