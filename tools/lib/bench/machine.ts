import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { kafkaVersion } from '../kafka-broker.ts';

export function describeMachine() {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0] ?? '';
  const postgres = spawnSync('psql', ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    java,
    kafka: kafkaVersion(),
    postgresClient: postgres,
  };
}

/** Peak resident memory of a process (Linux VmHWM), in MiB. */
export function peakRssMiB(pid: number): number | undefined {
  try {
    const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
