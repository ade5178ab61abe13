/**
 * Router scale scenario: how fast K share-router instances in one consumer group route a
 * backlog of N master records into the four share topics, for K = 1, 2, 3 in the same run
 * (the order repeated backwards with --rounds 2, so that drifting load hits every K).
 *
 * The backlog: N citizens through the national service's initial-load use case, published by
 * its own relay into a staging master topic, read once into memory. Each round gets its own
 * master topic, group and share topics, starts K instances (distinct SHARE_ROUTER_INSTANCE,
 * PORT and MANAGEMENT_PORT) and waits until the group is stable with K members: instances boot
 * seconds apart on a loaded machine, and the first would otherwise route much of the backlog
 * alone. Then the backlog is copied into the round's master topic (same partitions, bytes as
 * published) and the clock runs until the group's committed offsets reach the end.
 * Afterwards the committed records of every share topic are counted with a read_committed
 * consumer: each round must hold exactly what the sharing policy routes (exactly once).
 * Progress on stderr; one JSON line on stdout.
 */
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  MASTER_TOPIC,
  SECTORS,
  shareTopic,
  startCitizenChangedSerializer,
  type Sector,
} from '@bus/contracts';
import { createKafka, createPool } from '@bus/platform';
import {
  createPopulationServices,
  ensureMasterTopic,
  migratePopulation,
  outboxBacklog,
  Picker,
  seededRandom,
} from '@bus/population';
import type { Admin, Kafka, Message } from 'kafkajs';
import { appEntry, ChildApp } from './lib/child-app';
import { startStateServer } from './lib/follows';
import { freePort, pipelineNames, sectorTargets, startRelay } from './lib/pipeline';
import { loadCitizens } from './lib/population-backlog';
import { benchContext, cleanUp, progressLine, runToCompletion } from './lib/run-context';

const context = benchContext();
const names = pipelineNames(context);
const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '1,2,3' },
    rounds: { type: 'string', default: '1' },
  },
  strict: false,
});
const INSTANCE_COUNTS = String(values.instances).split(',').map(Number);
const ROUNDS = Number(values.rounds);
const REPLICATION = Number(process.env.MASTER_TOPIC_REPLICATION_FACTOR ?? 1);
const children: ChildApp[] = [];
const roundTopics: string[] = [];

interface Round {
  readonly instances: number;
  readonly group: string;
  readonly prefix: string;
  readonly masterTopic: string;
}

const roundNames = (index: number, instances: number): Round => {
  const prefix = `${names.prefix}r${index}k${instances}.`;
  return {
    instances,
    prefix,
    group: `${prefix}share-router`,
    masterTopic: `${prefix}${MASTER_TOPIC}`,
  };
};

const masterTopicOptions = (topic: string) => ({
  topic,
  partitions: context.partitions,
  replicationFactor: REPLICATION,
  minCompactionLagMs: 7 * 86_400_000,
});

/** Master records the group has routed: its committed offsets (unset: nothing yet). */
async function routed(admin: Admin, round: Round): Promise<number> {
  const [topic] = await admin.fetchOffsets({ groupId: round.group, topics: [round.masterTopic] });
  return (topic?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** The staging topic's records, as published (key, value, headers, partition). */
async function readBacklog(kafka: Kafka, total: number): Promise<Message[][]> {
  const byPartition: Message[][] = Array.from({ length: context.partitions }, () => []);
  const group = `${names.prefix}backlog-reader`;
  const consumer = kafka.consumer({ groupId: group });
  let read = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: names.masterTopic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const { key, value, headers } = message;
      byPartition[partition]!.push({ key, value, ...(headers ? { headers } : {}) });
      read++;
    },
  });
  while (read < total) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return byPartition;
}

/** Copies the backlog into a round's master topic, partition for partition. */
async function copyBacklog(kafka: Kafka, backlog: Message[][], topic: string): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const [partition, messages] of backlog.entries()) {
      for (let i = 0; i < messages.length; i += 1_000) {
        const chunk = messages.slice(i, i + 1_000).map((m) => ({ ...m, partition }));
        await producer.send({ topic, acks: -1, messages: chunk });
      }
    }
  } finally {
    await producer.disconnect();
  }
}

/** Until the group is stable with every instance a member (they boot seconds apart). */
async function untilGroupStable(admin: Admin, round: Round): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const group = (await admin.describeGroups([round.group])).groups[0];
    if (group?.state === 'Stable' && group.members.length === round.instances) return;
    if (Date.now() > deadline)
      throw new Error(`${round.group}: not stable with ${round.instances} members`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface ShareCount {
  /** Distinct committed records (partition and offset): what a read_committed sector gets. */
  readonly records: number;
  /** Committed records whose key and value another one already had: routed twice. */
  readonly duplicates: number;
  /** Records the counting consumer was handed again (its own rebalances): not the router's. */
  readonly redelivered: number;
}

/**
 * Committed records per share topic, read as the sectors read them (read_committed): one
 * consumer from the beginning until each partition's last record before its end was seen, or
 * nothing arrived for 10 s (a transaction's commit marker takes the offset after its records).
 * Offsets are counted once, so the counter's own redeliveries (a rebalance under load) do not
 * pass for duplicates; a record routed twice has two offsets and the same bytes.
 */
async function committedRecords(round: Round): Promise<Record<Sector, ShareCount>> {
  const kafka = createKafka({ brokers: context.brokers, clientId: 'bench-router-scale' });
  const admin = kafka.admin();
  const topicOf = (sector: Sector) => `${round.prefix}${shareTopic(sector)}`;
  const group = `${round.prefix}count`;
  const offsets = new Map(SECTORS.map((s) => [topicOf(s), new Set<string>()]));
  const contents = new Map(SECTORS.map((s) => [topicOf(s), new Set<string>()]));
  const redelivered = new Map(SECTORS.map((s) => [topicOf(s), 0]));
  const ends = new Map<string, number>();
  const seen = new Map<string, number>();
  await admin.connect();
  for (const sector of SECTORS) {
    for (const o of await admin.fetchTopicOffsets(topicOf(sector)))
      ends.set(`${topicOf(sector)}/${o.partition}`, Number(o.high));
  }
  const consumer = kafka.consumer({ groupId: group, readUncommitted: false });
  let lastArrival = Date.now();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: SECTORS.map(topicOf), fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        lastArrival = Date.now();
        for (const message of batch.messages) {
          const id = `${batch.partition}:${message.offset}`;
          if (offsets.get(batch.topic)!.has(id)) {
            redelivered.set(batch.topic, redelivered.get(batch.topic)! + 1);
            continue;
          }
          offsets.get(batch.topic)!.add(id);
          const hash = createHash('sha1');
          hash.update(message.key ?? Buffer.alloc(0));
          hash.update(message.value ?? Buffer.alloc(0));
          contents.get(batch.topic)!.add(hash.digest('base64'));
        }
        const last = batch.messages.at(-1);
        if (last) seen.set(`${batch.topic}/${batch.partition}`, Number(last.offset));
      },
    });
    const reachedEnd = () =>
      [...ends].every(([key, high]) => high === 0 || (seen.get(key) ?? -1) >= high - 2);
    // Idle only counts once something arrived: joining the group can take long under load.
    const started = Date.now();
    while (
      !reachedEnd() &&
      (seen.size === 0 ? Date.now() - started < 180_000 : Date.now() - lastArrival < 10_000)
    )
      await new Promise((r) => setTimeout(r, 200));
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
  return Object.fromEntries(
    SECTORS.map((s) => {
      const records = offsets.get(topicOf(s))!.size;
      return [
        s,
        {
          records,
          duplicates: records - contents.get(topicOf(s))!.size,
          redelivered: redelivered.get(topicOf(s))!,
        },
      ];
    }),
  ) as Record<Sector, ShareCount>;
}

async function startInstance(round: Round, instance: number, stateUrl: string): Promise<ChildApp> {
  const port = await freePort();
  const app = new ChildApp({
    name: `share-router-${round.instances}.${instance}`,
    entry: appEntry('share-router'),
    cpuProfileDir: context.cpuProfileDir,
    env: {
      KAFKA_BROKERS: context.brokers.join(','),
      SCHEMA_REGISTRY_URL: context.registry,
      SHARE_ROUTER_INSTANCE: String(instance),
      PORT: String(port),
      MANAGEMENT_PORT: String(port),
      MASTER_TOPIC: round.masterTopic,
      SHARE_TOPIC_PREFIX: round.prefix,
      SHARE_ROUTER_GROUP: round.group,
      FOLLOWS_TOPIC: names.followsTopic,
      NATIONAL_API_URL: stateUrl,
      OIDC_ISSUER: stateUrl,
    },
  });
  children.push(app);
  return app;
}

/** One round: K instances, stable in their group, then the backlog copied in and routed. */
async function runRound(
  kafka: Kafka,
  admin: Admin,
  round: Round,
  stateUrl: string,
  backlog: Message[][],
) {
  const total = backlog.reduce((sum, messages) => sum + messages.length, 0);
  const progress = progressLine(`router x${round.instances}`);
  const loadAverageAtStart = loadavg().map((l) => Number(l.toFixed(2)));
  roundTopics.push(
    round.masterTopic,
    ...SECTORS.map((s) => `${round.prefix}${shareTopic(s)}`),
    `${round.group}.dlt`,
  );
  await ensureMasterTopic(admin, masterTopicOptions(round.masterTopic));
  const apps = await Promise.all(
    Array.from({ length: round.instances }, (_, i) => startInstance(round, i, stateUrl)),
  );
  await Promise.all(
    apps.map((app) => app.waitForLog((l) => l.msg === 'share router running', 120_000)),
  );
  await untilGroupStable(admin, round);
  const cpuBefore = apps.map((app) => app.cpuMs() ?? 0);
  const started = performance.now();
  await copyBacklog(kafka, backlog, round.masterTopic);
  const copySeconds = (performance.now() - started) / 1000;
  let done = 0;
  let lastProgress = performance.now();
  while (done < total) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await routed(admin, round);
    if (now !== done) lastProgress = performance.now();
    else if (performance.now() - lastProgress > 120_000) {
      const errors = apps.flatMap((a) => a.errors.slice(-2));
      throw new Error(
        `router x${round.instances}: stuck at ${now}/${total}: ${errors.join(' | ')}`,
      );
    }
    done = now;
    for (const app of apps) app.peakRssMiB();
    progress(`${done}/${total} master records routed`);
  }
  const seconds = (performance.now() - started) / 1000;
  progress(`${total} routed in ${seconds.toFixed(1)}s`, true);
  const cpuMs = apps.reduce((sum, app, i) => sum + (app.cpuMs() ?? 0) - cpuBefore[i]!, 0);
  const members = (await admin.describeGroups([round.group])).groups[0]?.members.length ?? 0;
  const peak = apps.map((app) => app.peakRssMiB() ?? 0);
  const errors = apps.flatMap((a) => a.errors.slice(0, 3));
  await Promise.all(apps.map((app) => app.stop()));
  return {
    instances: round.instances,
    groupMembersAtEnd: members,
    loadAverageAtStart,
    // From the first record copied in to the group's last offset committed.
    seconds: Number(seconds.toFixed(2)),
    copySeconds: Number(copySeconds.toFixed(2)),
    recordsPerSec: Math.round(total / seconds),
    routerCpuMsPerRecord: Number((cpuMs / total).toFixed(3)),
    peakRssMiB: peak,
    errors,
  };
}

async function replicationOf(admin: Admin, topics: string[]): Promise<Record<string, unknown>> {
  const { topics: meta } = await admin.fetchTopicMetadata({ topics });
  return Object.fromEntries(
    meta.map((t) => [
      t.name.startsWith(names.prefix) ? t.name.slice(names.prefix.length) : t.name,
      [...new Set(t.partitions.map((p) => p.replicas.length))].join('/'),
    ]),
  );
}

async function main(): Promise<Record<string, unknown>> {
  const { events, partitions } = context;
  const populationUrl = context.databaseUrl(names.populationDatabase);
  await migratePopulation(populationUrl);
  const kafka = createKafka({ brokers: context.brokers, clientId: 'bench-router-scale' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureMasterTopic(admin, masterTopicOptions(names.masterTopic));
  await startCitizenChangedSerializer(context.registry, names.masterTopic);
  const pool = createPool(populationUrl, 4);
  const services = createPopulationServices(pool);
  const states = await startStateServer(services);
  try {
    // 1. The backlog: N citizens through the initial-load use case, published by the relay.
    const loading = progressLine('router-scale backlog');
    await loadCitizens(services, new Picker(seededRandom(61)), events, (n) =>
      loading(`${n}/${events} citizens loaded`),
    );
    const relay = startRelay(context, names);
    children.push(relay);
    await relay.waitForLog((l) => l.msg === 'outbox relay is the leader');
    while ((await outboxBacklog(pool)).pending > 0) {
      loading(`${events - (await outboxBacklog(pool)).pending}/${events} published`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await relay.stop();
    const ends = await admin.fetchTopicOffsets(names.masterTopic);
    const total = ends.reduce((sum, o) => sum + Number(o.high), 0);
    const backlog = await readBacklog(kafka, total);
    loading(`${total} master records on ${ends.length} partitions, read into memory`, true);
    const expected = await sectorTargets(pool, []);

    // 2. The rounds: 1, 2, 3 instances (then 3, 2, 1 ...), each from a fresh group.
    const order = Array.from({ length: ROUNDS }, (_, r) =>
      r % 2 === 0 ? INSTANCE_COUNTS : [...INSTANCE_COUNTS].reverse(),
    ).flat();
    const rounds = [];
    for (const [index, instances] of order.entries()) {
      const round = roundNames(index, instances);
      const result = await runRound(kafka, admin, round, states.url, backlog);
      const committed = await committedRecords(round);
      const exactlyOnce = SECTORS.every(
        (s) => committed[s].records === expected[s].events && committed[s].duplicates === 0,
      );
      rounds.push({ ...result, committedShareRecords: committed, exactlyOnce });
    }
    const replication = await replicationOf(admin, [
      ...roundTopics.filter((t) => t.startsWith(`${names.prefix}r0`)),
    ]);
    return {
      scenario: 'router-scale',
      masterRecords: total,
      partitions,
      brokers: context.brokers.length,
      replicationFactors: replication,
      expectedShareRecords: Object.fromEntries(SECTORS.map((s) => [s, expected[s].events])),
      order,
      rounds,
    };
  } finally {
    await states.close();
    await pool.end();
    await admin.disconnect();
  }
}

runToCompletion(main, async () => {
  await Promise.all(children.map((child) => child.stop()));
  if (!process.env.BENCH_KEEP) {
    await cleanUp(context, {
      databases: [names.populationDatabase],
      topics: [names.masterTopic, names.followsTopic, ...roundTopics],
    });
  }
});
