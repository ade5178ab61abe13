import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import os from 'node:os';
import { build } from './lib/build.ts';
import { Checker } from './lib/chaos/checker.ts';
import {
  installApplyProbe,
  nationalDatabase,
  recreateDatabase,
  sectorDatabase,
  withDatabase,
} from './lib/chaos/databases.ts';
import { FAULTS, type ChaosOptions, type FaultContext } from './lib/chaos/faults.ts';
import { Fleet, LOG_DIR, SECTORS } from './lib/chaos/fleet.ts';
import { currentNodeCount } from './lib/kafka-cluster-layout.ts';
import { LoadGenerator } from './lib/chaos/load.ts';
import { TokenSource } from './lib/oidc-tokens.ts';
import { printTable, writeReport, type PhaseResult } from './lib/chaos/report.ts';
import { eventIdOf, readTopic, resetKafka, topicNames } from './lib/chaos/topics.ts';
import { ROOT, STATE_DIR } from './lib/paths.ts';
import { StackError, stackUp } from './lib/stack-control.ts';

/**
 * The fault campaign (docs/reliability.md): the bus under steady HTTP load while faults are
 * applied one after another, then an independent check of every invariant per fault.
 * Local addresses only; bounded in time by the options below.
 */
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rate: { type: 'string', default: '10' },
    down: { type: 'string', default: '5' },
    outage: { type: 'string', default: '30' },
    restarts: { type: 'string', default: '10' },
    settle: { type: 'string', default: '180' },
    seed: { type: 'string', default: '100' },
    follow: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '20' },
    nationals: { type: 'string', default: '2' },
    routers: { type: 'string', default: '2' },
    'per-sector': { type: 'string', default: '2' },
    'poison-wait': { type: 'string', default: '30' },
    out: { type: 'string' },
    nodes: { type: 'string' },
    recheck: { type: 'string' },
    budget: { type: 'string', default: '40' },
  },
});

const num = (name: keyof typeof values): number => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < 0) throw new StackError(`--${name} must be a number`);
  return value;
};
if (values.nodes !== undefined && values.nodes !== '1' && values.nodes !== '3')
  throw new StackError('--nodes takes 1 or 3');
/** The stack is brought to this many Kafka nodes first (switching reformats its storage). */
const nodes: 1 | 3 = values.nodes === '3' ? 3 : values.nodes === '1' ? 1 : currentNodeCount();
const options: ChaosOptions = {
  downSeconds: num('down'),
  outageSeconds: num('outage'),
  brokerRestarts: num('restarts'),
  poisonWaitSeconds: num('poison-wait'),
};
const only = values.only?.split(',').map((s) => s.trim());
// --only also sets the order: the faults that matter most first when the budget is short.
const faults = only
  ? only.flatMap((name) => FAULTS.filter((fault) => fault.name === name))
  : FAULTS.filter(
      (fault) => fault.nodes === 'any' || fault.nodes === (nodes >= 3 ? 'cluster' : 'single'),
    );
const unknown = only?.filter((name) => !FAULTS.some((f) => f.name === name)) ?? [];
if (unknown.length)
  throw new StackError(
    `unknown fault(s) ${unknown.join(', ')}; known: ${FAULTS.map((f) => f.name).join(', ')}`,
  );

const t0 = Date.now();
const log = (message: string) =>
  console.log(`chaos +${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s ${message}`);
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

const shape = {
  nationals: num('nationals'),
  routers: num('routers'),
  perSector: num('per-sector'),
};
// Built once the stack runs: the apps are given every node the stack has.
let fleet = undefined as unknown as Fleet;
const token = TokenSource.user('registrar-admin');
const load = new LoadGenerator(() => fleet.nationals, token);
const checker = new Checker();
let progress: NodeJS.Timeout | undefined;

async function setUp(): Promise<void> {
  await stackUp({ nodes });
  fleet = new Fleet(shape);
  build();
  log('resetting the campaign stack: topics, groups and service databases');
  await resetKafka();
  await recreateDatabase(nationalDatabase());
  for (const sector of SECTORS) await recreateDatabase(sectorDatabase(sector));
  for (const instance of fleet.nationals) instance.start();
  await Promise.all(fleet.nationals.map((i) => i.waitHealthy()));
  const seed = num('seed');
  log(`seeding ${seed} citizens through the national API`);
  for (let i = 0; i < seed; i += 10)
    await Promise.all(Array.from({ length: Math.min(10, seed - i) }, () => load.birth()));
  const rest = [...fleet.routers, ...SECTORS.flatMap((s) => fleet.sector(s))];
  for (const instance of rest) instance.start();
  await Promise.all(rest.map((i) => i.waitHealthy()));
  log(`${fleet.all().length} instances healthy (logs in ${LOG_DIR})`);
  for (const sector of SECTORS) await installApplyProbe(sector);
  const followed = load.citizens.slice(0, num('follow'));
  const land = TokenSource.client('land-system');
  for (const id of followed) {
    const response = await fetch(`${fleet.sector('land')[0]!.apiUrl}/follows/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await land.get()}` },
    });
    if (!response.ok) throw new StackError(`land could not follow a citizen: ${response.status}`);
  }
  log(`land follows ${followed.length} citizens; waiting for the seed in every sector`);
  const want = { bhyt: seed, tax: seed, tthc: seed, land: followed.length };
  const deadline = Date.now() + 180_000;
  for (;;) {
    const have = await Promise.all(
      SECTORS.map((s) =>
        withDatabase(sectorDatabase(s), async (c) =>
          Number(
            (await c.query<{ n: string }>('SELECT count(*) AS n FROM sync_versions')).rows[0]!.n,
          ),
        ),
      ),
    );
    if (SECTORS.every((s, i) => have[i]! >= want[s])) break;
    if (Date.now() > deadline)
      throw new StackError(
        `the seed did not reach every sector: ${SECTORS.map((s, i) => `${s} ${have[i]}`).join(', ')}`,
      );
    await sleep(2);
  }
  await checker.markBaseline();
}

/** Seconds from `since` until every change committed up to it is applied everywhere. */
async function recovery(since: Date, timeoutSeconds: number): Promise<number | null> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    const missing = (await checker.snapshot().catch(() => undefined))?.missingUpTo(since);
    if (missing && SECTORS.every((s) => missing[s] === 0))
      return (Date.now() - since.getTime()) / 1000;
    await sleep(1);
  }
  return null;
}

type PhaseRecord = {
  fault: string;
  description: string;
  startedAt: Date;
  injectedAt: Date;
  liftedAt: Date;
  recoverySeconds: number | null;
  notes: string[];
  poison?: PhaseResult['poison'];
};

const PHASES_FILE = join(STATE_DIR, 'chaos', 'phases.json');

/** The checker's verdict per phase (the changes committed from its start to the next's), and the topics'. */
async function checkPhases(phases: readonly PhaseRecord[], endedAt: Date) {
  const snapshot = await checker.snapshot();
  const results: PhaseResult[] = phases.map((phase, i) => ({
    fault: phase.fault,
    description: phase.description,
    startedAt: phase.startedAt.toISOString(),
    injectedAt: phase.injectedAt.toISOString(),
    liftedAt: phase.liftedAt.toISOString(),
    recoverySeconds:
      phase.recoverySeconds === null ? null : Number(phase.recoverySeconds.toFixed(1)),
    tally: snapshot.tally(phase.startedAt, phases[i + 1]?.startedAt ?? endedAt),
    notes: phase.notes,
    ...(phase.poison ? { poison: phase.poison } : {}),
  }));
  // The topics: every committed national change on the master topic, and the dead letters.
  const master = new Set<string>();
  for (const record of await readTopic('population.citizen-changed')) {
    const id = await eventIdOf(record.value);
    if (id) master.add(id);
  }
  const first = phases[0]?.startedAt ?? endedAt;
  const notOnMasterTopic = snapshot.events.filter(
    (e) => e.createdAt >= first && e.createdAt < endedAt && !master.has(e.eventId),
  ).length;
  const deadLetters: { topic: string; count: number; reasons: Record<string, number> }[] = [];
  for (const topic of (await topicNames()).filter((t) => t.endsWith('.dlt'))) {
    const records = await readTopic(topic, 2_000);
    const reasons: Record<string, number> = {};
    for (const r of records) {
      const reason = r.headers['dlt.reason'] ?? 'none';
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
    deadLetters.push({ topic, count: records.length, reasons });
  }
  const tally = snapshot.tally(first, endedAt);
  const appliedWhereNotRouted = Object.fromEntries(SECTORS.map((s) => [s, snapshot.unexpected(s)]));
  printTable(results);
  console.log(
    `chaos: total ${tally.eventsIn} changes; lost ${tally.lost}, applied twice ${tally.twice}, out of order ${tally.outOfOrder}; not on the master topic ${notOnMasterTopic}; applied where the policy does not route ${JSON.stringify(appliedWhereNotRouted)}`,
  );
  console.log(`chaos: dead letters ${JSON.stringify(deadLetters)}`);
  const ok =
    tally.lost === 0 && tally.twice === 0 && tally.outOfOrder === 0 && notOnMasterTopic === 0;
  return {
    results,
    total: { ...tally, notOnMasterTopic, appliedWhereNotRouted },
    ok,
    topics: { deadLetters },
  };
}

/**
 * --recheck: the checker alone, on the phases a campaign recorded (.stack/chaos/phases.json),
 * against the databases and topics as that campaign left them (the next run resets them).
 */
async function recheck(file: string): Promise<void> {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    startedAt: string;
    nodes: number;
    phases: (Omit<PhaseRecord, 'startedAt' | 'injectedAt' | 'liftedAt'> & {
      startedAt: string;
      injectedAt: string;
      liftedAt: string;
    })[];
  };
  const phases: PhaseRecord[] = saved.phases.map((p) => ({
    ...p,
    startedAt: new Date(p.startedAt),
    injectedAt: new Date(p.injectedAt),
    liftedAt: new Date(p.liftedAt),
  }));
  await checker.markFollows();
  const endedAt = new Date();
  const { results, total, ok, topics } = await checkPhases(phases, endedAt);
  const report = {
    campaign: 'npm run chaos -- --recheck (the checker alone, after a run was cut short)',
    startedAt: saved.startedAt,
    checkedAt: endedAt.toISOString(),
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))) },
    kafkaNodes: saved.nodes,
    phases: results,
    total,
    ...topics,
  };
  const out = values.out ?? join(STATE_DIR, 'chaos', `recheck-${saved.nodes}n.json`);
  writeReport(out.startsWith('/') ? out : join(ROOT, out), report);
  log(`report written to ${out}`);
  process.exitCode = ok ? 0 : 1;
}

async function campaign(): Promise<void> {
  await setUp();
  const rate = num('rate');
  load.start(rate);
  const loadStartedAt = Date.now();
  progress = setInterval(() => {
    const c = load.counters;
    log(
      `load: sent ${c.sent} ok ${c.ok} rejected ${c.rejected} retried ${c.retried} failed ${c.failed} shed ${c.shed} in flight ${c.inFlight}`,
    );
  }, 15_000);
  const phases: PhaseRecord[] = [];
  const record = (phase: PhaseRecord) => {
    phases.push(phase);
    // Kept as it goes: a campaign cut short can still be checked (--recheck).
    writeReport(PHASES_FILE, { startedAt: new Date(t0).toISOString(), nodes, phases });
  };
  const warmupStart = new Date();
  log(`steady load at ${rate} commands/s for ${num('warmup')}s before the first fault`);
  await sleep(num('warmup'));
  record({
    fault: 'none (steady load)',
    description: 'no fault',
    startedAt: warmupStart,
    injectedAt: warmupStart,
    liftedAt: new Date(),
    recoverySeconds: await recovery(new Date(), num('settle')),
    notes: [],
  });
  const context: FaultContext = { fleet, checker, options, log };
  const skipped: string[] = [];
  for (const fault of faults) {
    // The time budget: no fault starts after it; those left are reported as not run.
    if ((Date.now() - t0) / 60_000 > num('budget')) {
      skipped.push(fault.name);
      continue;
    }
    const startedAt = new Date();
    log(`fault ${fault.name}: ${fault.description}`);
    const outcome = await fault.run(context);
    const recoverySeconds = await recovery(outcome.liftedAt, num('settle'));
    log(
      `fault ${fault.name}: ${recoverySeconds === null ? 'NOT recovered within the settle time' : `recovered ${recoverySeconds.toFixed(1)}s after it ended`}`,
    );
    record({
      fault: fault.name,
      description: fault.description,
      startedAt,
      ...outcome,
      recoverySeconds,
      notes: [...outcome.notes],
    });
    await sleep(5);
  }
  await load.stop();
  clearInterval(progress);
  const endedAt = new Date();
  const loadSeconds = (endedAt.getTime() - loadStartedAt) / 1000;
  log('load stopped; waiting for the bus to settle');
  const settled = await recovery(endedAt, num('settle'));
  const { results, total, ok, topics } = await checkPhases(phases, endedAt);
  const c = load.counters;
  const report = {
    campaign: 'npm run chaos',
    startedAt: new Date(t0).toISOString(),
    endedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))) },
    kafkaNodes: nodes,
    instances: {
      nationals: fleet.nationals.length,
      routers: fleet.routers.length,
      perSector: num('per-sector'),
    },
    options: {
      ...options,
      rate,
      seed: num('seed'),
      follow: num('follow'),
      settleSeconds: num('settle'),
    },
    load: {
      ...c,
      seconds: Number(loadSeconds.toFixed(1)),
      askedPerSecond: rate,
      achievedPerSecond: Number((c.ok / loadSeconds).toFixed(2)),
    },
    finalSettleSeconds: settled === null ? null : Number(settled.toFixed(1)),
    phases: results,
    notRun: {
      faults: skipped,
      why: `the time budget (--budget ${num('budget')} minutes) was spent`,
    },
    total,
    ...topics,
  };
  const out = values.out ?? join(STATE_DIR, 'chaos', `report-${nodes}n.json`);
  writeReport(out.startsWith('/') ? out : join(ROOT, out), report);
  log(`report written to ${out}`);
  process.exitCode = ok ? 0 : 1;
}

// Ctrl-C or a timeout's SIGTERM: the apps are ours, they stop with the campaign.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.error(`chaos: ${signal}; stopping the apps`);
    void (fleet?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });

try {
  if (values.recheck) await recheck(values.recheck);
  else await campaign();
} catch (error) {
  console.error(`chaos: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  if (progress) clearInterval(progress);
  await load.stop().catch(() => undefined);
  await fleet?.stop();
}
