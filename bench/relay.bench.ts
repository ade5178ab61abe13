/**
 * Relay scenario: drains a backlog of N outbox rows to Kafka with the national
 * population service's own relay process (`dist/apps/national-population/src/relay.main.js`),
 * on a database and topic of its own. Progress on stderr; one JSON line on stdout.
 */
import { startCitizenChangedSerializer } from '@bus/contracts';
import { createKafka, createPool, type Pool } from '@bus/platform';
import {
  createPopulationServices,
  ensureMasterTopic,
  migratePopulation,
  outboxBacklog,
  Picker,
  seededRandom,
} from '@bus/population';
import { appEntry, ChildApp, peakRssMiB } from './lib/child-app';
import { loadCitizens } from './lib/population-backlog';
import { CpuMeter, kafkaPids, perUnit, PostgresBackends } from './lib/proc-stats';
import { benchContext, cleanUp, progressLine } from './lib/run-context';

const context = benchContext();
const database = `bench_relay_${context.suffix}`;
const topic = `bench.relay.${context.suffix}`;
const databaseUrl = context.databaseUrl(database);
const MIN_COMPACTION_LAG_MS = 7 * 86_400_000;

async function topicMessageCount(): Promise<number> {
  const admin = createKafka({ brokers: context.brokers, clientId: 'bench-relay' }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Runs the relay until the outbox has nothing pending; the clock stops at the last mark. */
async function drain(
  pool: Pool,
  name: string,
  env: Record<string, string>,
): Promise<{
  eventsPerSec: number;
  seconds: number;
  peakRssMiB?: number;
  cpuMsPerEvent: Record<string, number>;
  errors: string[];
}> {
  const { events, partitions } = context;
  const relay = new ChildApp({
    name,
    entry: appEntry('national-population', 'relay.main.js'),
    cpuProfileDir: context.cpuProfileDir,
    env: {
      NATIONAL_POPULATION_DATABASE_URL: databaseUrl,
      RELAY_TOPIC: topic,
      MASTER_TOPIC_PARTITIONS: String(partitions),
      KAFKA_BROKERS: context.brokers.join(','),
      SCHEMA_REGISTRY_URL: context.registry,
      OUTBOX_RETAIN_HOURS: '0',
      ...env,
    },
  });
  try {
    const leader = await relay.waitForLog((l) => l.msg === 'outbox relay is the leader');
    const server = createPool(context.server, 1);
    const backends = new PostgresBackends(server, [database]);
    await backends.refresh();
    const meter = new CpuMeter([
      { name: 'relay', pids: () => [relay.pid] },
      { name: 'kafka', pids: kafkaPids },
      { name: 'postgres', pids: backends.pids },
    ]).begin();
    const progress = progressLine(`${name} drain`);
    const deadline = Date.now() + Math.max(120_000, events * 2);
    for (;;) {
      const { pending } = await outboxBacklog(pool);
      relay.peakRssMiB();
      await backends.refresh();
      meter.tick();
      progress(`${events - pending}/${events} published`, pending === 0);
      if (pending === 0) break;
      if (Date.now() > deadline) throw new Error(`${name}: ${pending} rows still pending`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // The relay marks each batch published right after the broker's ack: the last mark ends the drain.
    const { rows } = await pool.query<{ last: Date }>(
      'SELECT max(published_at) AS last FROM outbox',
    );
    const started = Date.parse(String(leader.time));
    const seconds = (rows[0]!.last.getTime() - started) / 1000;
    const cpuMsPerEvent = perUnit(meter.usedMs(), events);
    await server.end();
    await relay.stop();
    return {
      eventsPerSec: Math.round(events / seconds),
      seconds: Number(seconds.toFixed(2)),
      peakRssMiB: relay.peakRssMiB(),
      cpuMsPerEvent,
      errors: relay.errors.slice(0, 5),
    };
  } finally {
    await relay.stop();
  }
}

async function main(): Promise<Record<string, unknown>> {
  const { events, partitions } = context;
  await migratePopulation(databaseUrl);
  const pool = createPool(databaseUrl, 4);
  try {
    const services = createPopulationServices(pool);
    const loading = progressLine('relay backlog');
    const loadStarted = performance.now();
    await loadCitizens(services, new Picker(seededRandom(8)), events, (done) =>
      loading(`${done}/${events} outbox rows written`),
    );
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    loading(`${events} outbox rows written in ${loadSeconds.toFixed(1)}s`, true);

    // Topic and schema exist before the clock starts: the drain is measured, not the first boot.
    const admin = createKafka({ brokers: context.brokers, clientId: 'bench-relay' }).admin();
    await admin.connect();
    await ensureMasterTopic(admin, {
      topic,
      partitions,
      replicationFactor: 1,
      minCompactionLagMs: MIN_COMPACTION_LAG_MS,
    });
    await admin.disconnect();
    const serializer = await startCitizenChangedSerializer(context.registry, topic);
    const sample = await pool.query<{ key: string; payload: never }>(
      'SELECT aggregate_id AS key, payload FROM outbox ORDER BY seq LIMIT 2000',
    );
    // Key + Confluent-framed Avro value: what the Kafka anchor's --record-size should match.
    const avgRecordBytes = Math.round(
      sample.rows.reduce(
        (sum, r) => sum + r.key.length + serializer.serialize(r.payload).length,
        0,
      ) / Math.max(1, sample.rows.length),
    );

    const drained = await drain(pool, 'relay', {});
    // Retention during a drain (issue 14): the first backlog, now 30 days past its publication,
    // is pruned while a second backlog of the same size drains, one prune statement beside
    // every batch (OUTBOX_PRUNE_INTERVAL_MS=0, the worst case; the default is one per 5 s).
    await pool.query(`UPDATE outbox SET published_at = now() - interval '30 days'`);
    const second = progressLine('relay backlog (2)');
    await loadCitizens(services, new Picker(seededRandom(9)), events, (done) =>
      second(`${done}/${events} outbox rows written`),
    );
    second(`${events} more outbox rows written`, true);
    const pruning = await drain(pool, 'relay-pruning', {
      OUTBOX_RETAIN_HOURS: '24',
      OUTBOX_PRUNE_INTERVAL_MS: '0',
    });
    const { rows: left } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM outbox WHERE published_at < now() - interval '29 days'`,
    );
    const onTopic = await topicMessageCount();
    return {
      events,
      partitions,
      batchSize: Number(process.env.RELAY_BATCH_SIZE ?? 2_000),
      eventsPerSec: drained.eventsPerSec,
      seconds: drained.seconds,
      messagesOnTopic: onTopic,
      // Two drains of N rows each into the one topic: exactly 2N records, no loss, no duplicate.
      countCheck: { expected: 2 * events, found: onTopic, ok: onTopic === 2 * events },
      avgRecordBytes,
      backlogWriteSeconds: Number(loadSeconds.toFixed(2)),
      withPruning: {
        eventsPerSec: pruning.eventsPerSec,
        seconds: pruning.seconds,
        prunedDuringDrain: events - Number(left[0]!.n),
        slowdown: Number((1 - pruning.eventsPerSec / drained.eventsPerSec).toFixed(3)),
      },
      cpuMsPerEvent: drained.cpuMsPerEvent,
      peakRssMiB: { relay: drained.peakRssMiB, benchDriver: peakRssMiB('self') },
      errors: [...drained.errors, ...pruning.errors].slice(0, 5),
    };
  } finally {
    await pool.end();
  }
}

main()
  .then(async (result) => {
    await cleanUp(context, { databases: [database], topics: [topic] });
    console.log(JSON.stringify(result));
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    console.error(error);
    await cleanUp(context, { databases: [database], topics: [topic] });
    process.exit(1);
  });
