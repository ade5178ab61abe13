import { SECTORS, type Sector } from '@bus/contracts';
import { seededRandom } from '@bus/population';
import { appEntry, ChildApp } from './child-app';
import {
  closedLoop,
  commandMix,
  fetchToken,
  openLoop,
  summarise,
  type HttpCommand,
} from './http-load';
import { CommitProbe, latencyBreakdown, recordTimes, wallNow } from './latency-probe';
import { freePort, type PipelineNames } from './pipeline';
import { CpuMeter, perUnit, type MeteredProcess } from './proc-stats';
import type { BenchContext } from './run-context';

/** The national API as deployed (its relay off: the run's relay process publishes), on the run's database. */
export async function startNationalApi(
  context: BenchContext,
  names: PipelineNames,
): Promise<{ app: ChildApp; url: string }> {
  const port = await freePort();
  const app = new ChildApp({
    name: 'national-api',
    entry: appEntry('national-population'),
    cpuProfileDir: context.cpuProfileDir,
    env: {
      KAFKA_BROKERS: context.brokers.join(','),
      SCHEMA_REGISTRY_URL: context.registry,
      PORT: String(port),
      MANAGEMENT_PORT: String(await freePort()),
      NATIONAL_POPULATION_DATABASE_URL: context.databaseUrl(names.populationDatabase),
      RELAY_ENABLED: 'false',
    },
  });
  await app.waitForLog((l) => l.msg === 'national-population listening', 120_000);
  return { app, url: `http://127.0.0.1:${port}` };
}

/** The same HTTP stack answering with one INSERT (bench/http-anchor.app.ts), on a database of its own. */
export async function startHttpAnchor(
  context: BenchContext,
  names: PipelineNames,
): Promise<{ app: ChildApp; url: string }> {
  const port = await freePort();
  const app = new ChildApp({
    name: 'http-anchor',
    entry: 'dist/bench/http-anchor.app.js',
    cpuProfileDir: context.cpuProfileDir,
    env: {
      PORT: String(port),
      ANCHOR_DATABASE_URL: context.databaseUrl(names.anchorDatabase),
    },
  });
  await app.waitForLog((l) => l.msg === 'http anchor listening', 120_000);
  return { app, url: `http://127.0.0.1:${port}` };
}

function* cycle(citizens: readonly string[], mix: (id: string) => HttpCommand) {
  for (let i = 0; ; i++) yield mix(citizens[i % citizens.length]!);
}

/**
 * The write path (issue 17 item 2): commands over HTTP with N in flight, the whole bus
 * running; the anchor (same HTTP stack, one INSERT) right after at the same concurrency, so
 * both see the same machine. CPU per command for each process over each run.
 */
export async function writePath(options: {
  api: string;
  anchor: string;
  citizens: readonly string[];
  concurrencies: readonly number[];
  seconds: number;
  processes: readonly MeteredProcess[];
  tick: () => Promise<void>;
}) {
  const token = await fetchToken('registrar-admin');
  const result: Record<string, unknown> = {};
  let offset = 0;
  for (const concurrency of options.concurrencies) {
    for (const [label, base] of [
      ['api', options.api],
      ['anchor', options.anchor],
    ] as const) {
      const targets = [...options.citizens.slice(offset), ...options.citizens.slice(0, offset)];
      offset = (offset + 7_919) % options.citizens.length;
      const meter = new CpuMeter(options.processes).begin();
      const ticker = setInterval(() => void options.tick().then(() => meter.tick()), 500);
      const run = await closedLoop(
        base,
        token,
        cycle(targets, commandMix(seededRandom(concurrency))),
        concurrency,
        options.seconds,
      ).finally(() => clearInterval(ticker));
      const summary = summarise(run.sent, run.seconds);
      result[`${label}-${concurrency}`] = {
        concurrency,
        ...summary,
        cpuMsPerCommand: perUnit(meter.usedMs(), summary.recorded),
      };
      process.stderr.write(
        `  write path ${label}, ${concurrency} in flight: ${summary.commandsPerSec}/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms (${summary.errors} errors)\n`,
      );
    }
  }
  return result;
}

/**
 * Latency at steady load (issue 17 item 4): an open-loop generator asks `rate` commands per
 * second of the national API, one per citizen, and every change is timed from its national
 * commit to the commit in each sector, with the hops between.
 */
export async function steadyLatency(options: {
  context: BenchContext;
  names: PipelineNames;
  api: string;
  citizens: readonly string[];
  rate: number;
  seconds: number;
  processes: readonly MeteredProcess[];
  tick: () => Promise<void>;
  untilInSync: () => Promise<void>;
}) {
  const { context, names } = options;
  const count = Math.min(options.citizens.length, Math.round(options.rate * options.seconds));
  const mix = commandMix(seededRandom(200));
  const commands = options.citizens.slice(0, count).map(mix);
  const probe = new CommitProbe(context, names);
  await probe.install();
  const token = await fetchToken('registrar-admin');
  try {
    const since = Date.now() - 1;
    const meter = new CpuMeter(options.processes).begin();
    const ticker = setInterval(() => void options.tick().then(() => meter.tick()), 500);
    const run = await openLoop(options.api, token, commands, options.rate).finally(() =>
      clearInterval(ticker),
    );
    const summary = summarise(run.sent, run.seconds, options.rate);
    process.stderr.write(
      `  latency phase: asked ${options.rate}/s, achieved ${summary.commandsPerSec}/s, HTTP p99 ${summary.p99Ms} ms\n`,
    );
    await options.untilInSync();
    const cpu = perUnit(meter.usedMs(), summary.recorded);
    const topics = [names.masterTopic, ...SECTORS.map((s) => names.shareTopic(s))];
    const times = await recordTimes(context, names, topics, since);
    const shares = Object.fromEntries(
      SECTORS.map((s) => [s, times.get(names.shareTopic(s))!]),
    ) as Record<Sector, Map<string, number>>;
    const dueAt = new Map(
      run.sent.map((s) => [s.command.personalId, performance.timeOrigin + s.dueAt]),
    );
    return {
      askedPerSec: options.rate,
      achievedPerSec: summary.commandsPerSec,
      http: summary,
      latency: latencyBreakdown(probe, times.get(names.masterTopic)!, shares, dueAt),
      cpuMsPerCommand: cpu,
      generatorLateMaxMs: run.lateMs,
      at: new Date(wallNow()).toISOString(),
    };
  } finally {
    await probe.end();
  }
}
