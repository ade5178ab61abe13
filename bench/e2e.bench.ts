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
 * 3. latency: changes to distinct citizens at half the measured rate, each timed from
 *    its recordedAt to the sector transaction that applied it.
 *
 * The ledger runs beside the sectors from the start: its ingest rate over the catch-up, and
 * how long after the last sector it held every receipt, show whether it keeps up.
 */
import { SECTORS, startCitizenChangedSerializer, type Sector } from '@bus/contracts';
import { createKafka, createPool, type Pool } from '@bus/platform';
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
import { loadCitizens } from './lib/population-backlog';
import { benchContext, cleanUp, percentile, progressLine } from './lib/run-context';

const context = benchContext();
const names = pipelineNames(context);
const WRITE_CONCURRENCY = Number(process.env.BENCH_WRITE_CONCURRENCY ?? 8);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
/** Share of the citizens land follows (land is delivered only the citizens it follows). */
const LAND_FOLLOWS = Number(process.env.BENCH_LAND_FOLLOWS ?? 0.1);
const children: ChildApp[] = [];

/** Polls the sector databases until each holds the target versions; returns when each got there. */
async function untilInSync(
  probe: SectorProbe,
  targets: Record<Sector, SectorTarget>,
  label: string,
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

async function latencies(
  population: Pool,
  probe: SectorProbe,
  since: Date,
): Promise<Record<string, unknown>> {
  const { rows } = await population.query<{ event_id: string; recorded_at: Date }>(
    'SELECT event_id::text, occurred_at AS recorded_at FROM outbox WHERE occurred_at >= $1',
    [since],
  );
  const recorded = new Map(rows.map((r) => [r.event_id, r.recorded_at.getTime()]));
  const all: number[] = [];
  const perSector: Record<string, unknown> = {};
  for (const sector of SECTORS) {
    const applied = await probe.appliedSince(sector, since);
    const ms: number[] = [];
    for (const [eventId, at] of applied) {
      const start = recorded.get(eventId);
      if (start !== undefined) ms.push(at - start);
    }
    ms.sort((a, b) => a - b);
    all.push(...ms);
    perSector[sector] = {
      events: ms.length,
      p50Ms: percentile(ms, 50),
      p95Ms: percentile(ms, 95),
      p99Ms: percentile(ms, 99),
    };
  }
  all.sort((a, b) => a - b);
  return {
    events: recorded.size,
    samples: all.length,
    p50Ms: percentile(all, 50),
    p95Ms: percentile(all, 95),
    p99Ms: percentile(all, 99),
    maxMs: all.at(-1) ?? null,
    perSector,
  };
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
    // CPU per event of each stage over the catch-up: less sensitive than rates to what else runs.
    const consumers = children.filter((c) => /^(share-router|sync-)/.test(c.options.name));
    const cpuBefore = new Map(consumers.map((c) => [c.options.name, c.cpuMs() ?? 0]));
    relay = startRelay(context, names, 2);
    children.push(relay);
    const leader = await relay.waitForLog((l) => l.msg === 'outbox relay is the leader');
    const catchUpStart = Date.parse(String(leader.time));
    const doneAt = await untilInSync(probe, after, 'e2e catch-up');
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
    const cpuMsPerEvent: Record<string, number | null> = {};
    for (const child of consumers) {
      const name = child.options.name;
      const sector = SECTORS.find((s) => name === `sync-${s}`);
      const handled = sector ? after[sector].events - before[sector].events : write.written;
      const used = (child.cpuMs() ?? Number.NaN) - (cpuBefore.get(name) ?? 0);
      cpuMsPerEvent[name] = Number.isFinite(used) ? Number((used / handled).toFixed(4)) : null;
    }
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

    // 3. Latency at half the measured maximum, one change per citizen so each is traceable.
    const rate = Math.max(1, Math.round(eventsPerSec / 2));
    const count = Math.min(citizens.length, Math.round(rate * LATENCY_SECONDS));
    const since = new Date(Date.now() - 1);
    const steady = progressLine('e2e latency');
    const paced = await writeChanges(services, {
      targets: shuffled(citizens, pick).slice(0, count),
      rate,
      concurrency: Math.max(WRITE_CONCURRENCY, 16),
      seed: 2,
      onProgress: (n) => steady(`${n}/${count} changes at ${rate}/s`),
    });
    steady(
      `${paced.written} changes at ${Math.round(paced.changesPerSec)}/s (asked ${rate}/s)`,
      true,
    );
    await untilInSync(probe, await sectorTargets(pool, followed), 'e2e latency sync');
    const latency = await latencies(pool, probe, since);

    const rss: Record<string, number | undefined> = {};
    for (const child of children) {
      const name = child.options.name.replace(/-\d+$/, '');
      rss[name] = Math.max(rss[name] ?? 0, child.peakRssMiB() ?? 0);
    }
    rss.benchDriver = peakRssMiB('self');
    return {
      events,
      partitions,
      eventsPerSec,
      seconds: Number(catchUpSeconds.toFixed(2)),
      perSector,
      cpuMsPerEvent,
      sectorWritesPerSec: Math.round(sectorWrites / catchUpSeconds),
      ledger: ledgerFigures,
      p50Ms: latency.p50Ms,
      p95Ms: latency.p95Ms,
      p99Ms: latency.p99Ms,
      latency: {
        askedRate: rate,
        achievedRate: Math.round(paced.changesPerSec),
        ...latency,
        note: 'recordedAt (use case) to the sector transaction that applied the event (sync_versions.applied_at)',
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
