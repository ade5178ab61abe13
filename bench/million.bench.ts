/**
 * Million-citizen scenario (issue 17 item 5): `--events N` citizens (1,000,000 by
 * `npm run bench -- --million`) loaded through the national service's bulk initial-load use
 * case while the whole bus runs, synced into the four sector databases; then one sector
 * (`BENCH_REBUILD_SECTOR`, default tax) rebuilt from its compacted share topic by its own
 * `--rebuild`. Time of each phase, CPU per event and peak RSS of every process (the target:
 * each under 512 MiB). Progress on stderr; one JSON line on stdout.
 */
import { COMMUNES, SECTORS, startCitizenChangedSerializer, type Sector } from '@bus/contracts';
import { createKafka, createPool } from '@bus/platform';
import {
  createPopulationServices,
  ensureMasterTopic,
  migratePopulation,
  Picker,
  seededRandom,
} from '@bus/population';
import { peakRssMiB, type ChildApp } from './lib/child-app';
import { followAsLand, startStateServer } from './lib/follows';
import {
  pipelineNames,
  SectorProbe,
  sectorTargets,
  startLedger,
  startRelay,
  startRouter,
  startSync,
} from './lib/pipeline';
import { loadCitizens } from './lib/population-backlog';
import {
  CpuMeter,
  kafkaPids,
  peakRss,
  perUnit,
  PostgresBackends,
  type MeteredProcess,
} from './lib/proc-stats';
import { benchContext, progressLine, runPipelineScenario } from './lib/run-context';
import { untilInSync } from './lib/sync-wait';

const context = benchContext();
const names = pipelineNames(context);
/** Land is delivered only the citizens it follows: this share of them (each filled by the router). */
const LAND_FOLLOWS = Number(process.env.BENCH_LAND_FOLLOWS ?? 0.01);
const REBUILD = (process.env.BENCH_REBUILD_SECTOR ?? 'tax') as Sector;
const RSS_LIMIT_MIB = 512;
const children: ChildApp[] = [];

async function main(): Promise<Record<string, unknown>> {
  const citizensWanted = context.events;
  const populationUrl = context.databaseUrl(names.populationDatabase);
  await migratePopulation(populationUrl);
  const admin = createKafka({ brokers: context.brokers, clientId: 'bench-million' }).admin();
  await admin.connect();
  await ensureMasterTopic(admin, {
    topic: names.masterTopic,
    partitions: context.partitions,
    replicationFactor: 1,
    minCompactionLagMs: 7 * 86_400_000,
  });
  await admin.disconnect();
  await startCitizenChangedSerializer(context.registry, names.masterTopic);
  const pool = createPool(populationUrl, 4);
  const services = createPopulationServices(pool);
  const states = await startStateServer(services);
  const serverPool = createPool(context.server, 1);
  const backends = new PostgresBackends(serverPool, names.databases);
  const probe = new SectorProbe(context, names);
  const step = progressLine('million');
  try {
    step('starting share-router, four sync services, the ledger and the relay', true);
    children.push(await startRouter(context, names, states.url));
    children.push(...(await Promise.all(SECTORS.map((s) => startSync(context, names, s)))));
    children.push(await startLedger(context, names));
    const relay = startRelay(context, names);
    children.push(relay);
    await relay.waitForLog((l) => l.msg === 'outbox relay is the leader', 180_000);
    const byName = (prefix: string): MeteredProcess => ({
      name: prefix,
      pids: () =>
        children.filter((c) => c.options.name.replace(/-\d+$/, '') === prefix).map((c) => c.pid),
    });
    const processes: MeteredProcess[] = [
      ...['relay', 'share-router', ...SECTORS.map((s) => `sync-${s}`), 'ledger'].map(byName),
      { name: 'kafka', pids: kafkaPids },
      { name: 'postgres', pids: backends.pids },
    ];
    const tick = async () => {
      await backends.refresh().catch(() => undefined);
      meter.tick();
    };
    await backends.refresh();
    const meter = new CpuMeter(processes).begin();

    // 1. The load, the bus running: the relay publishes while the batches commit.
    const started = performance.now();
    const startedWall = Date.now();
    const loading = progressLine('million load');
    let lastTick = 0;
    const citizens = await loadCitizens(
      services,
      new Picker(seededRandom(1)),
      citizensWanted,
      (n) => {
        loading(`${n}/${citizensWanted} citizens loaded`);
        if (performance.now() - lastTick > 1_000) {
          lastTick = performance.now();
          void tick();
          for (const c of children) c.peakRssMiB();
        }
      },
    );
    const loadSeconds = (performance.now() - started) / 1000;
    loading(`${citizens.length} citizens loaded in ${loadSeconds.toFixed(1)}s`, true);
    const followed = citizens.slice(0, Math.round(citizens.length * LAND_FOLLOWS));
    await followAsLand(context, names, followed);
    const targets = await sectorTargets(pool, followed);
    const doneAt = await untilInSync(children, probe, targets, 'million sync', tick);
    // The last sector transaction's start (sync_versions.applied_at): polled, so this reads low by one batch.
    const syncSeconds = (Math.max(...Object.values(doneAt)) - startedWall) / 1000;
    const cpu = perUnit(meter.usedMs(), citizens.length);

    // 2. A commune merger: every resident of a tenth of the communes re-addressed in bulk.
    const merged = COMMUNES.slice(0, Math.round(COMMUNES.length / 10)).map((c) => c.code);
    const into = COMMUNES.at(-1)!.code;
    const readdressStarted = Date.now();
    let readdressed = 0;
    for (let i = 0; i < merged.length; i += 200) {
      const { readdressed: moved } = await services.readdressResidents.execute({
        fromCommunes: merged.slice(i, i + 200),
        toCommune: into,
      });
      readdressed += moved;
    }
    const readdressWriteSeconds = (Date.now() - readdressStarted) / 1000;
    const afterMerger = await sectorTargets(pool, followed);
    const mergerDone = await untilInSync(children, probe, afterMerger, 'million merger sync', tick);
    const readdressSyncSeconds = (Math.max(...Object.values(mergerDone)) - readdressStarted) / 1000;

    // 3. Rebuild one sector from its compacted share topic.
    const old = children.find((c) => c.options.name === `sync-${REBUILD}`)!;
    await old.stop();
    const rebuildStarted = Date.now();
    const rebuilt = await startSync(context, names, REBUILD, ['--rebuild']);
    children.push(rebuilt);
    await new Promise((r) => setTimeout(r, 1_000));
    const rebuildDone = await untilInSync(
      children,
      probe,
      afterMerger,
      `million rebuild ${REBUILD}`,
      async () => {
        rebuilt.peakRssMiB();
      },
    );
    const rebuildSeconds = (rebuildDone[REBUILD] - rebuildStarted) / 1000;

    for (const c of children) c.peakRssMiB();
    const rss: Record<string, number | undefined> = {};
    for (const c of children) {
      const name =
        c === rebuilt ? `sync-${REBUILD} (rebuild)` : c.options.name.replace(/-\d+$/, '');
      rss[name] = Math.max(rss[name] ?? 0, c.peakRssMiB() ?? 0);
    }
    Object.assign(rss, peakRss([{ name: 'kafka', pids: kafkaPids }]));
    rss.benchDriver = peakRssMiB('self');
    const over = Object.entries(rss)
      .filter(([name, mib]) => name !== 'kafka' && (mib ?? 0) > RSS_LIMIT_MIB)
      .map(([name]) => name);
    return {
      citizens: citizens.length,
      partitions: context.partitions,
      load: {
        seconds: Number(loadSeconds.toFixed(1)),
        citizensPerSec: Math.round(citizens.length / loadSeconds),
        note: 'bulk initial-load use case, 5,000 records per transaction, the bench process generating them',
      },
      sync: {
        secondsFromLoadStart: Number(syncSeconds.toFixed(1)),
        citizensPerSec: Math.round(citizens.length / syncSeconds),
        perSector: Object.fromEntries(SECTORS.map((s) => [s, targets[s].citizens])),
      },
      rebuild: {
        sector: REBUILD,
        citizens: afterMerger[REBUILD].citizens,
        seconds: Number(rebuildSeconds.toFixed(1)),
        citizensPerSec: Math.round(afterMerger[REBUILD].citizens / rebuildSeconds),
        note: 'from the rebuild process start (boot included) to its sync_versions holding every citizen again',
      },
      readdress: {
        communesMerged: merged.length,
        citizens: readdressed,
        writeSeconds: Number(readdressWriteSeconds.toFixed(1)),
        writePerSec: Math.round(readdressed / readdressWriteSeconds),
        syncedIntoFourSectorsSeconds: Number(readdressSyncSeconds.toFixed(1)),
        note: 'ReaddressResidentsUseCase, 2,000 residents per transaction, the bus running',
      },
      cpuMsPerCitizen: cpu,
      peakRssMiB: rss,
      rssLimitMiB: RSS_LIMIT_MIB,
      overRssLimit: over,
      landFollows: followed.length,
      errors: children.flatMap((c) => c.errors.slice(0, 3).map((e) => `${c.options.name}: ${e}`)),
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await probe.end();
    await serverPool.end();
    await pool.end();
    await states.close();
  }
}

runPipelineScenario(context, { databases: names.databases, topics: names.topics }, children, main);
