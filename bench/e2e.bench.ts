/**
 * End-to-end scenario: changes made through the national service's application layer
 * travel outbox -> relay -> master topic -> share-router -> share topics -> the four
 * sync services -> the four sector databases. Every bus service runs as its own
 * process (the compiled apps, as deployed) on databases, topics and groups of this
 * run only. Progress on stderr; one JSON line on stdout.
 *
 * 1. warm-up: N citizens through the initial-load use case, synced into all sectors;
 * 2. throughput: the relay is stopped (an outage), N changes are written through the
 *    use cases, the relay restarts, and the clock runs until every sector is in sync;
 * 3. write path: commands over the national HTTP API (the compiled app) with 16 and 64 in
 *    flight while the whole bus runs, each followed by the same HTTP stack answering with
 *    one INSERT (the anchor);
 * 4. latency: an open-loop generator asks BENCH_RATE commands/s (default 200) of the
 *    national API, one per citizen, each timed from its national commit to the commit in
 *    every sector, per hop.
 *
 * The ledger runs beside the sectors from the start: its ingest rate over the catch-up, and
 * how long after the last sector it held every receipt, show whether it keeps up.
 */
import { SECTORS, startCitizenChangedSerializer, type Sector } from '@bus/contracts';
import { createKafka, createPool, ensureDatabase } from '@bus/platform';
import {
  createPopulationServices,
  ensureMasterTopic,
  migratePopulation,
  Picker,
  seededRandom,
} from '@bus/population';
import { writeChanges } from './lib/change-writer';
import { followAsLand, startStateServer } from './lib/follows';
import { peakRssMiB, type ChildApp } from './lib/child-app';
import {
  LedgerProbe,
  pipelineNames,
  SectorProbe,
  startLedger,
  sectorTargets,
  startRelay,
  startRouter,
  startSync,
  type SectorTarget,
} from './lib/pipeline';
import { startHttpAnchor, startNationalApi, steadyLatency, writePath } from './lib/http-phases';
import { loadCitizens } from './lib/population-backlog';
import {
  CpuMeter,
  kafkaPids,
  peakRss,
  perUnit,
  PostgresBackends,
  type MeteredProcess,
} from './lib/proc-stats';
import { benchContext, cleanUp, progressLine } from './lib/run-context';

const context = benchContext();
const names = pipelineNames(context);
const WRITE_CONCURRENCY = Number(process.env.BENCH_WRITE_CONCURRENCY ?? 8);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
/** The latency phase's asked rate (issue 17: 200 changes/s). */
const RATE = Number(process.env.BENCH_RATE ?? 200);
/** Seconds of each write-path run (API and anchor, at each concurrency). */
const WRITE_SECONDS = Number(process.env.BENCH_WRITE_SECONDS ?? 15);
const WRITE_IN_FLIGHT = (process.env.BENCH_WRITE_IN_FLIGHT ?? '16,64').split(',').map(Number);
/** Share of the citizens land follows (land is delivered only the citizens it follows). */
const LAND_FOLLOWS = Number(process.env.BENCH_LAND_FOLLOWS ?? 0.1);
const children: ChildApp[] = [];

/** Polls the sector databases until each holds the target versions; returns when each got there. */
async function untilInSync(
  probe: SectorProbe,
  targets: Record<Sector, SectorTarget>,
  label: string,
  onPoll?: () => Promise<void>,
): Promise<Record<Sector, number>> {
  const progress = progressLine(label);
  const done: Partial<Record<Sector, number>> = {};
  let lastChange = Date.now();
  let lastSums = '';
  while (Object.keys(done).length < SECTORS.length) {
    const parts: string[] = [];
    for (const sector of SECTORS) {
      const target = targets[sector];
      if (done[sector] === undefined) {
        const state = await probe.state(sector);
        if (state.citizens === target.citizens && state.versionSum === target.versionSum) {
          done[sector] = state.lastAppliedAt;
        }
        parts.push(
          `${sector} ${Math.floor((100 * state.versionSum) / Math.max(1, target.versionSum))}%`,
        );
      } else parts.push(`${sector} ok`);
    }
    for (const child of children) child.peakRssMiB();
    await onPoll?.();
    const sums = parts.join(' ');
    if (sums !== lastSums) {
      lastSums = sums;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > 90_000) {
      const errors = children.flatMap((c) =>
        c.errors.slice(-2).map((e) => `${c.options.name}: ${e}`),
      );
      throw new Error(
        `${label}: no progress for 90 s (${sums}); last errors: ${errors.join(' | ')}`,
      );
    }
    progress(sums);
    if (Object.keys(done).length < SECTORS.length) await new Promise((r) => setTimeout(r, 250));
  }
  progress('all four sectors in sync', true);
  return done as Record<Sector, number>;
}

/** Waits until the ledger holds every receipt the sectors committed; returns the count and when. */
async function ledgerCaughtUp(
  ledger: LedgerProbe,
  label: string,
): Promise<{ stored: number; at: number }> {
  const progress = progressLine(label);
  let target = await ledger.receipts();
  let stored = await ledger.stored();
  let lastChange = Date.now();
  while (stored < target) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await ledger.stored();
    if (now !== stored) lastChange = Date.now();
    else if (Date.now() - lastChange > 90_000) {
      throw new Error(`${label}: no progress for 90 s (${now}/${target} receipts)`);
    }
    stored = now;
    target = await ledger.receipts();
    progress(`${stored}/${target} receipts in the ledger`);
  }
  progress(`${stored} receipts in the ledger`, true);
  return { stored, at: Date.now() };
}

async function topicCount(topic: string): Promise<number> {
  const admin = createKafka({ brokers: context.brokers, clientId: 'bench-e2e' }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

async function deadLettered(): Promise<Record<string, number>> {
  const admin = createKafka({ brokers: context.brokers, clientId: 'bench-e2e' }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const result: Record<string, number> = {};
    for (const topic of names.topics.filter((t) => t.endsWith('.dlt') && existing.has(t))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const count = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      if (count > 0) result[topic.slice(names.prefix.length)] = count;
    }
    return result;
  } finally {
    await admin.disconnect();
  }
}

function shuffled<T>(items: readonly T[], pick: Picker): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = pick.int(0, i);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

async function main(): Promise<Record<string, unknown>> {
  const { events, partitions } = context;
  const populationUrl = context.databaseUrl(names.populationDatabase);
  await migratePopulation(populationUrl);
  const admin = createKafka({ brokers: context.brokers, clientId: 'bench-e2e' }).admin();
  await admin.connect();
  await ensureMasterTopic(admin, {
    topic: names.masterTopic,
    partitions,
    replicationFactor: 1,
    minCompactionLagMs: 7 * 86_400_000,
  });
  await admin.disconnect();
  await startCitizenChangedSerializer(context.registry, names.masterTopic);

  const pool = createPool(populationUrl, WRITE_CONCURRENCY + 2);
  const services = createPopulationServices(pool);
  const states = await startStateServer(services);
  const step = progressLine('e2e');
  step('starting share-router, four sync services and the relay', true);
  children.push(await startRouter(context, names, states.url));
  children.push(...(await Promise.all(SECTORS.map((s) => startSync(context, names, s)))));
  children.push(await startLedger(context, names));
  let relay = startRelay(context, names);
  children.push(relay);
  await relay.waitForLog((l) => l.msg === 'outbox relay is the leader');

  const probe = new SectorProbe(context, names);
  const ledger = new LedgerProbe(context, names, probe);
  const serverPool = createPool(context.server, 1);
  const backends = new PostgresBackends(serverPool, names.databases);
  // Every process the bus needs, for CPU per event and peak RSS: our children by name (a
  // restarted relay counts under its first name), the broker, this run's PostgreSQL backends.
  const child = (prefix: string): MeteredProcess => ({
    name: prefix,
    pids: () =>
      children.filter((c) => c.options.name.replace(/-\d+$/, '') === prefix).map((c) => c.pid),
  });
  const processes: MeteredProcess[] = [
    ...[
      'relay',
      'share-router',
      ...SECTORS.map((s) => `sync-${s}`),
      'ledger',
      'national-api',
      'http-anchor',
    ].map(child),
    { name: 'kafka', pids: kafkaPids },
    { name: 'postgres', pids: backends.pids },
  ];
  const tick = () => backends.refresh().catch(() => undefined);
  try {
    const pick = new Picker(seededRandom(88));

    // 1. Warm-up: the citizens, through the initial-load use case, into every sector.
    const loading = progressLine('e2e warm-up');
    const warmStarted = performance.now();
    const citizens = await loadCitizens(services, pick, events, (n) =>
      loading(`${n}/${events} citizens loaded`),
    );
    loading(`${events} citizens loaded`, true);
    // Land follows a share of them (its own picker: the changes drawn stay the same); each
    // follow is filled by the router, the rest of the population never reaches land.
    const followed = shuffled(citizens, new Picker(seededRandom(14))).slice(
      0,
      Math.round(citizens.length * LAND_FOLLOWS),
    );
    await followAsLand(context, names, followed);
    await untilInSync(probe, await sectorTargets(pool, followed), 'e2e warm-up sync');
    const warmUpSeconds = (performance.now() - warmStarted) / 1000;

    const ledgerBefore = await ledgerCaughtUp(ledger, 'e2e warm-up ledger');

    // 2. Throughput: an outage of the relay, N changes, then the catch-up into all sectors.
    await relay.stop();
    const before = await sectorTargets(pool, followed);
    const writing = progressLine('e2e changes');
    const write = await writeChanges(services, {
      targets: shuffled(citizens, pick),
      rate: 0,
      concurrency: WRITE_CONCURRENCY,
      seed: 1,
      onProgress: (n) => writing(`${n}/${events} changes written (relay stopped)`),
    });
    writing(`${write.written} changes in ${write.seconds.toFixed(1)}s`, true);
    const after = await sectorTargets(pool, followed);
    // CPU per event of every process over the catch-up: less sensitive than rates to what else runs.
    await tick();
    const catchUpCpu = new CpuMeter(processes).begin();
    relay = startRelay(context, names, 2);
    children.push(relay);
    const leader = await relay.waitForLog((l) => l.msg === 'outbox relay is the leader');
    const catchUpStart = Date.parse(String(leader.time));
    const doneAt = await untilInSync(probe, after, 'e2e catch-up', () =>
      tick().then(() => catchUpCpu.tick()),
    );
    const catchUpCpuMs = catchUpCpu.usedMs();
    const perSector: Record<string, unknown> = {};
    for (const sector of SECTORS) {
      const routed = after[sector].events - before[sector].events;
      const seconds = (doneAt[sector] - catchUpStart) / 1000;
      perSector[sector] = {
        events: routed,
        seconds: Number(seconds.toFixed(2)),
        eventsPerSec: Math.round(routed / seconds),
      };
    }
    // Per master event (the changes written), for every process; the sync services also per
    // event they applied (a sector gets only the event types the policy routes to it).
    const cpuMsPerEvent = perUnit(catchUpCpuMs, write.written);
    const syncCpuMsPerAppliedEvent = Object.fromEntries(
      SECTORS.map((s) => [
        `sync-${s}`,
        Number(
          (
            (catchUpCpuMs[`sync-${s}`] ?? 0) / Math.max(1, after[s].events - before[s].events)
          ).toFixed(4),
        ),
      ]),
    );
    const catchUpSeconds = (Math.max(...Object.values(doneAt)) - catchUpStart) / 1000;
    // The ledger over the same catch-up: a receipt per event per sector, from the relay's
    // restart to the ledger's last row, and how long after the last sector it got there.
    const ledgerDone = await ledgerCaughtUp(ledger, 'e2e ledger catch-up');
    const ledgerReceipts = ledgerDone.stored - ledgerBefore.stored;
    const ledgerSeconds = (ledgerDone.at - catchUpStart) / 1000;
    const ledgerFigures = {
      receipts: ledgerReceipts,
      seconds: Number(ledgerSeconds.toFixed(2)),
      receiptsPerSec: Math.round(ledgerReceipts / ledgerSeconds),
      behindLastSectorSeconds: Number(
        Math.max(0, (ledgerDone.at - Math.max(...Object.values(doneAt))) / 1000).toFixed(2),
      ),
      note: 'polled every 250 ms: the ledger figures carry up to ~0.3 s of polling',
    };
    // Rows written into sector databases (an event goes to up to four): compared with PostgreSQL's upsert ceiling.
    const sectorWrites = SECTORS.reduce((sum, s) => sum + after[s].events - before[s].events, 0);
    const eventsPerSec = Math.round(write.written / catchUpSeconds);

    // 3. The write path over HTTP, the whole bus running, beside its anchor.
    await ensureDatabase(context.databaseUrl(names.anchorDatabase));
    const api = await startNationalApi(context, names);
    children.push(api.app);
    const anchor = await startHttpAnchor(context, names);
    children.push(anchor.app);
    const writes = await writePath({
      api: api.url,
      anchor: anchor.url,
      citizens: shuffled(citizens, pick),
      concurrencies: WRITE_IN_FLIGHT,
      seconds: WRITE_SECONDS,
      processes,
      tick,
    });
    await untilInSync(probe, await sectorTargets(pool, followed), 'e2e write-path sync');

    // 4. Latency at a steady, really achieved rate, open loop, over HTTP.
    const steady = await steadyLatency({
      context,
      names,
      api: api.url,
      citizens: shuffled(citizens, pick),
      rate: RATE,
      seconds: LATENCY_SECONDS,
      processes,
      tick,
      untilInSync: async () => {
        await untilInSync(probe, await sectorTargets(pool, followed), 'e2e latency sync');
      },
    });
    const masterCount = await topicCount(names.masterTopic);
    const { rows: outboxRows } = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM outbox',
    );

    for (const c of children) c.peakRssMiB();
    const rss: Record<string, number | undefined> = {
      ...Object.fromEntries(children.map((c) => [c.options.name.replace(/-\d+$/, ''), 0] as const)),
    };
    for (const c of children) {
      const name = c.options.name.replace(/-\d+$/, '');
      rss[name] = Math.max(rss[name] ?? 0, c.peakRssMiB() ?? 0);
    }
    Object.assign(rss, peakRss([{ name: 'kafka', pids: kafkaPids }]));
    rss.benchDriver = peakRssMiB('self');
    return {
      events,
      partitions,
      eventsPerSec,
      seconds: Number(catchUpSeconds.toFixed(2)),
      perSector,
      cpuMsPerEvent,
      cpuMsPerEventNote:
        "CPU (utime+stime from /proc) over the catch-up divided by the master events written; postgres = backends serving this run's databases (the shared server's background writers not counted); kafka = the broker JVM",
      syncCpuMsPerAppliedEvent,
      sectorWritesPerSec: Math.round(sectorWrites / catchUpSeconds),
      ledger: ledgerFigures,
      p50Ms: steady.latency.commitToSectorCommit.p50Ms,
      p95Ms: steady.latency.commitToSectorCommit.p95Ms,
      p99Ms: steady.latency.commitToSectorCommit.p99Ms,
      latency: steady,
      writePath: writes,
      countCheck: {
        outboxRows: Number(outboxRows[0]!.n),
        masterTopicRecords: masterCount,
        ok: Number(outboxRows[0]!.n) === masterCount,
      },
      writeSide: {
        changesPerSec: Math.round(write.changesPerSec),
        rejected: write.rejected,
        concurrency: WRITE_CONCURRENCY,
      },
      warmUp: { citizens: citizens.length, seconds: Number(warmUpSeconds.toFixed(1)) },
      landFollows: followed.length,
      deadLettered: await deadLettered(),
      peakRssMiB: rss,
      errors: children.flatMap((c) => c.errors.slice(0, 3).map((e) => `${c.options.name}: ${e}`)),
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await ledger.end();
    await probe.end();
    await serverPool.end();
    await pool.end();
    await states.close();
  }
}

const finish = async (code: number) => {
  await Promise.all(children.map((c) => c.stop())).catch(() => undefined);
  if (!process.env.BENCH_KEEP) {
    await cleanUp(context, { databases: names.databases, topics: names.topics });
  }
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
