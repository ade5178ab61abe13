import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A JSON log line of one of our apps (pino: level, time, msg, ...). */
export type LogLine = Record<string, unknown> & { msg?: string; time?: string; level?: string };

export interface ChildAppOptions {
  /** Label in progress lines and results, e.g. `relay` or `sync-bhyt`. */
  readonly name: string;
  /** Compiled entry, relative to the repository root: `dist/apps/.../main.js`. */
  readonly entry: string;
  readonly env: Record<string, string>;
  /** Arguments after the entry (e.g. `--rebuild`). */
  readonly args?: readonly string[];
  /** `BENCH_CPU_PROF=<dir>` writes a .cpuprofile per child there (read with bench/tools). */
  readonly cpuProfileDir?: string | undefined;
}

/** `BENCH_LOG_DIR=<dir>` keeps each child's log; `BENCH_LOG_LEVEL=debug` for the relay's batch timings. */
const LOG_DIR = process.env.BENCH_LOG_DIR || undefined;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL || 'info';

/** Peak resident memory of a live process (Linux VmHWM), in MiB. */
const CLOCK_TICKS_PER_SECOND = Number(
  spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100,
);

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, after the command name). */
export function cpuMs(pid: number | 'self'): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export function peakRssMiB(pid: number | 'self'): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One of our apps run as its own process, exactly as deployed (`node dist/apps/...`):
 * its memory is its own, and the CPU is shared with Kafka and PostgreSQL as in
 * production. Its JSON logs are watched for readiness and errors, never printed.
 */
export class ChildApp {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private readonly waiters: { test: (line: LogLine) => boolean; resolve: (l: LogLine) => void }[] =
    [];
  private lastPeakMiB: number | undefined;
  private readonly log: WriteStream | undefined;
  readonly errors: string[] = [];

  constructor(readonly options: ChildAppOptions) {
    const profile = options.cpuProfileDir
      ? [
          '--cpu-prof',
          '--cpu-prof-dir',
          options.cpuProfileDir,
          '--cpu-prof-name',
          `${options.name}.cpuprofile`,
        ]
      : [];
    if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });
    this.child = spawn(process.execPath, [...profile, options.entry, ...(options.args ?? [])], {
      env: { ...process.env, LOG_LEVEL, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    if (LOG_DIR) {
      mkdirSync(LOG_DIR, { recursive: true });
      this.log = createWriteStream(join(LOG_DIR, `${options.name}.log`));
    }
    const onLine = (raw: string) => {
      this.log?.write(`${raw}\n`);
      let line: LogLine;
      try {
        line = JSON.parse(raw) as LogLine;
      } catch {
        // Node's own warnings (e.g. kafkajs's TimeoutNegativeWarning) are not failures.
        if (/Error|error:/.test(raw)) this.errors.push(raw);
        return;
      }
      if (line.level === 'error' || line.level === 'fatal') this.errors.push(raw);
      for (const waiter of [...this.waiters]) {
        if (waiter.test(line)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    };
    createInterface({ input: this.child.stdout! }).on('line', onLine);
    createInterface({ input: this.child.stderr! }).on('line', onLine);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Resolves with the first log line that passes the test (e.g. "listening", "is the leader"). */
  waitForLog(test: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `${this.options.name}: no matching log line within ${timeoutMs} ms; errors: ${this.errors.slice(-3).join(' | ')}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({
        test,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void this.exited.then((code) =>
        reject(
          new Error(
            `${this.options.name} exited with ${code}: ${this.errors.slice(-3).join(' | ')}`,
          ),
        ),
      );
    });
  }

  /** CPU time (user + system) the process has used so far, in ms; undefined once it is gone. */
  cpuMs(): number | undefined {
    return cpuMs(this.pid);
  }

  /** The process's peak RSS so far (kept after it exits). */
  peakRssMiB(): number | undefined {
    this.lastPeakMiB = peakRssMiB(this.pid) ?? this.lastPeakMiB;
    return this.lastPeakMiB;
  }

  /** SIGTERM (the app's graceful stop; also what makes --cpu-prof write its file), then SIGKILL. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.peakRssMiB();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    this.log?.end();
  }
}

export const appEntry = (app: string, file = 'main.js') => join('dist/apps', app, 'src', file);
