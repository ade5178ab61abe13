import { parseArgs } from 'node:util';
import { registryAuthHeaders } from '@bus/contracts';
import { createKafka, databaseUrlFor, dropDatabase } from '@bus/platform';

/** What every scenario reads from its command line and environment. */
export function benchContext() {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '200000' },
      partitions: { type: 'string', default: '12' },
    },
    strict: false,
  });
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const registry = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081';
  const suffix = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  return {
    events: Number(values.events),
    partitions: Number(values.partitions),
    server,
    brokers,
    registry,
    suffix,
    databaseUrl: (name: string) => databaseUrlFor(server, name),
    /** `BENCH_CPU_PROF=<dir>`: every child writes a .cpuprofile there. */
    cpuProfileDir: process.env.BENCH_CPU_PROF || undefined,
  };
}
export type BenchContext = ReturnType<typeof benchContext>;

/** Removes what a scenario created: databases, topics, and the registry subjects of those topics. */
export async function cleanUp(
  context: BenchContext,
  what: { databases: string[]; topics: string[] },
): Promise<void> {
  for (const database of what.databases) {
    await dropDatabase(context.databaseUrl(database)).catch(() => undefined);
  }
  const admin = createKafka({ brokers: context.brokers, clientId: 'bench-cleanup' }).admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const topics = what.topics.filter((t) => existing.has(t));
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  for (const topic of what.topics) {
    for (const subject of [`${topic}-value`, `${topic}-key`]) {
      const url = `${context.registry}/subjects/${encodeURIComponent(subject)}`;
      const headers = registryAuthHeaders();
      await fetch(url, { method: 'DELETE', headers }).catch(() => undefined);
      await fetch(`${url}?permanent=true`, { method: 'DELETE', headers }).catch(() => undefined);
    }
  }
}

/** Progress on stderr: one rewritten line on a terminal, a line every few seconds otherwise. */
export function progressLine(label: string) {
  let lastPrinted = 0;
  const tty = process.stderr.isTTY;
  return (text: string, final = false): void => {
    const now = Date.now();
    if (!final && now - lastPrinted < (tty ? 250 : 3_000)) return;
    lastPrinted = now;
    if (tty) process.stderr.write(`\r  ${label}: ${text}\x1b[K${final ? '\n' : ''}`);
    else process.stderr.write(`  ${label}: ${text}\n`);
  };
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/**
 * Runs a scenario's main: its result as one JSON line on stdout (what tools/bench reads), then
 * the clean-up, whatever happened, and the exit code.
 */
export function runToCompletion(
  main: () => Promise<Record<string, unknown>>,
  cleanup: () => Promise<void>,
): void {
  const finish = async (code: number) => {
    await cleanup().catch((error: unknown) => console.error(error));
    process.exit(code);
  };
  main()
    .then(async (result) => {
      console.log(JSON.stringify(result));
      await finish(0);
    })
    .catch(async (error: unknown) => {
      console.error(error);
      await finish(1);
    });
}

/**
 * Runs a pipeline scenario's main: as runToCompletion, the children stopped and (unless
 * BENCH_KEEP) the run's databases, topics and subjects removed afterwards.
 */
export function runPipelineScenario(
  context: BenchContext,
  what: { databases: string[]; topics: string[] },
  children: readonly { stop(): Promise<void> }[],
  main: () => Promise<Record<string, unknown>>,
): void {
  runToCompletion(main, async () => {
    await Promise.all(children.map((c) => c.stop())).catch(() => undefined);
    if (!process.env.BENCH_KEEP) await cleanUp(context, what);
  });
}

/** Records on a topic now (high minus low watermark, summed over its partitions). */
export async function topicRecordCount(context: BenchContext, topic: string): Promise<number> {
  const admin = createKafka({ brokers: context.brokers, clientId: 'bench-count' }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}
