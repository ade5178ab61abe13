import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { appProcess, NODE_APPS } from '../node-apps.ts';
import { ROOT } from '../paths.ts';
import { stopProcess } from '../processes.ts';
import { stackUp } from '../stack-control.ts';
import type { Checker } from './checker.ts';
import {
  blockDatabase,
  nationalDatabase,
  sectorDatabase,
  unblockDatabase,
  withDatabase,
} from './databases.ts';
import { SECTORS, type Fleet, type Instance } from './fleet.ts';
import { kafkaNodes, killNode, startNode, stopNode } from '../kafka-nodes.ts';
import {
  adminKafka,
  readTopic,
  REGISTRY_URL,
  registryAuth,
  topicNames,
  writerType,
} from './topics.ts';

export interface ChaosOptions {
  /** How long a killed broker or process stays down before it is started again. */
  readonly downSeconds: number;
  /** How long a database or the registry stays unreachable. */
  readonly outageSeconds: number;
  /** Kill/restart cycles of the single-node broker fault. */
  readonly brokerRestarts: number;
  /** How long the poison faults wait for their record in a dead-letter topic. */
  readonly poisonWaitSeconds: number;
}

export interface FaultContext {
  readonly fleet: Fleet;
  readonly checker: Checker;
  readonly options: ChaosOptions;
  log(message: string): void;
}

/** Where a poison record ended (a dead-letter topic with its reason), if anywhere. */
export interface PoisonVerdict {
  readonly deadLetterTopic: string | null;
  readonly reason: string | null;
  /** Seconds until it was found there (or until the wait ended). */
  readonly seconds: number;
}

export interface FaultOutcome {
  readonly injectedAt: Date;
  /** When the fault ended (process or broker started again, database or registry back). */
  readonly liftedAt: Date;
  readonly notes: string[];
  readonly poison?: PoisonVerdict;
}

export interface Fault {
  readonly name: string;
  readonly description: string;
  /** Runs on a stack of this many Kafka nodes (the cluster faults need three). */
  readonly nodes: 'cluster' | 'single' | 'any';
  run(context: FaultContext): Promise<FaultOutcome>;
}

/** A node's start after a SIGKILL recovers every partition's log: minutes on a saturated machine. */
const NODE_START_MS = 600_000;

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function killAndRestart(instances: Instance[], context: FaultContext): Promise<FaultOutcome> {
  const injectedAt = new Date();
  await Promise.all(instances.map((instance) => instance.kill('SIGKILL')));
  context.log(`SIGKILL ${instances.map((i) => i.name).join(', ')}`);
  await sleep(context.options.downSeconds);
  for (const instance of instances) instance.start();
  const liftedAt = new Date();
  await Promise.all(instances.map((instance) => instance.waitHealthy()));
  return { injectedAt, liftedAt, notes: [] };
}

function brokerKill(position: number, label: string): Fault {
  return {
    name: `broker-kill-${label}`,
    description: `SIGKILL of Kafka node ${position + 1} (of three), started again after the down time`,
    nodes: 'cluster',
    async run(context) {
      const node = kafkaNodes()[position]!;
      const injectedAt = new Date();
      await killNode(node.id);
      context.log(`SIGKILL kafka node ${node.id}`);
      await sleep(context.options.downSeconds);
      await startNode(node.id, NODE_START_MS);
      return { injectedAt, liftedAt: new Date(), notes: [] };
    },
  };
}

/** Reads a dead-letter topic until a record with this key shows up, or the wait ends. */
async function awaitDeadLetter(
  key: string,
  topics: (names: string[]) => string[],
  waitSeconds: number,
): Promise<PoisonVerdict> {
  const started = Date.now();
  while ((Date.now() - started) / 1000 < waitSeconds) {
    for (const topic of topics(await topicNames())) {
      const found = (await readTopic(topic, 1_500, 20_000)).find((r) => r.key === key);
      if (found)
        return {
          deadLetterTopic: topic,
          reason: found.headers['dlt.reason'] ?? null,
          seconds: (Date.now() - started) / 1000,
        };
    }
    await sleep(2);
  }
  return { deadLetterTopic: null, reason: null, seconds: (Date.now() - started) / 1000 };
}

/** A personal ID no citizen has (the generator never issues the 099 prefix). */
const poisonKey = () => `0999${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

export const FAULTS: readonly Fault[] = [
  brokerKill(0, 'a'),
  brokerKill(1, 'b'),
  {
    name: 'rolling-restart',
    description: 'each Kafka node stopped (controlled shutdown) and started, one after another',
    nodes: 'cluster',
    async run(context) {
      const injectedAt = new Date();
      for (const node of kafkaNodes()) {
        context.log(`restarting kafka node ${node.id}`);
        await stopNode(node.id);
        await startNode(node.id, NODE_START_MS);
      }
      return { injectedAt, liftedAt: new Date(), notes: [] };
    },
  },
  {
    name: 'broker-restarts',
    description: 'the single Kafka node SIGKILLed and started again, ten times in a row under load',
    nodes: 'single',
    async run(context) {
      const injectedAt = new Date();
      for (let i = 1; i <= context.options.brokerRestarts; i++) {
        await killNode(kafkaNodes()[0]!.id);
        context.log(`kafka SIGKILL ${i}/${context.options.brokerRestarts}`);
        await sleep(2);
        await startNode(kafkaNodes()[0]!.id, NODE_START_MS);
        await sleep(3);
      }
      return { injectedAt, liftedAt: new Date(), notes: [] };
    },
  },
  {
    name: 'relay-leader-kill',
    description: 'SIGKILL of the national instance whose outbox relay leads',
    nodes: 'any',
    async run(context) {
      const leader = (await context.fleet.relayLeader()) ?? context.fleet.nationals[0]!;
      const outcome = await killAndRestart([leader], context);
      return { ...outcome, notes: [`killed ${leader.name}`] };
    },
  },
  {
    name: 'router-kill',
    description: 'SIGKILL of one share-router instance during its batches',
    nodes: 'any',
    run: (context) => killAndRestart([context.fleet.routers[0]!], context),
  },
  {
    name: 'sector-kill',
    description: 'SIGKILL of one instance of each sector sync service during batches',
    nodes: 'any',
    run: (context) =>
      killAndRestart(
        SECTORS.map((s) => context.fleet.sector(s)[0]!),
        context,
      ),
  },
  {
    name: 'population-db-outage',
    description:
      'the national database refuses connections and its sessions are terminated mid-transaction',
    nodes: 'any',
    run: (context) => databaseOutage(nationalDatabase(), context),
  },
  {
    name: 'sector-db-outage',
    description: "the tax sector's database refuses connections, sessions terminated",
    nodes: 'any',
    run: (context) => databaseOutage(sectorDatabase('tax'), context),
  },
  {
    name: 'registry-down',
    description: 'the schema registry process stopped, then started again',
    nodes: 'any',
    async run(context) {
      const registry = NODE_APPS.find((app) => app.name === 'schema-registry')!;
      const injectedAt = new Date();
      await stopProcess(appProcess(registry), 10_000);
      context.log(`schema registry stopped for ${context.options.outageSeconds}s`);
      await sleep(context.options.outageSeconds);
      await stackUp();
      return { injectedAt, liftedAt: new Date(), notes: [] };
    },
  },
  {
    name: 'poison-share',
    description: "a record bhyt's reader cannot decode, produced straight to its share topic",
    nodes: 'any',
    async run(context) {
      const key = poisonKey();
      const producer = adminKafka().producer();
      await producer.connect();
      const injectedAt = new Date();
      await producer.send({
        topic: 'share.bhyt.citizen-changed',
        messages: [{ key, value: Buffer.from('not an Avro record') }],
      });
      await producer.disconnect();
      const poison = await awaitDeadLetter(
        key,
        (names) => names.filter((t) => t === 'bus.sync-bhyt.dlt'),
        context.options.poisonWaitSeconds,
      );
      return { injectedAt, liftedAt: injectedAt, notes: [], poison };
    },
  },
  {
    name: 'schema-upgrade',
    description:
      'a compatible next version of CitizenChanged registered, and recent changes published again with it while the old router and sectors run',
    nodes: 'any',
    run: schemaUpgrade,
  },
  {
    name: 'poison-outbox',
    description: 'an outbox row that cannot be encoded (an event type the schema does not have)',
    nodes: 'any',
    run: poisonOutbox,
  },
];

async function databaseOutage(database: string, context: FaultContext): Promise<FaultOutcome> {
  const injectedAt = new Date();
  const ended = await blockDatabase(database);
  context.log(
    `${database} unreachable for ${context.options.outageSeconds}s (${ended} sessions ended)`,
  );
  try {
    await sleep(context.options.outageSeconds);
  } finally {
    await unblockDatabase(database);
  }
  return { injectedAt, liftedAt: new Date(), notes: [`${ended} sessions terminated`] };
}

/**
 * The next version adds an optional field (FULL_TRANSITIVE allows it). The campaign plays
 * the upgraded producer: the last changes on the master topic are decoded with the schema
 * they were written with and published again, same key, with the new version's id, while
 * the router and the sectors keep their old readers. They are duplicates of changes the
 * sectors already have: they must be routed, then skipped by version, never applied twice.
 */
async function schemaUpgrade(context: FaultContext): Promise<FaultOutcome> {
  const subject = 'population.citizen-changed-value';
  const shipped = readFileSync(join(ROOT, 'schemas/citizen-changed/v3.avsc'), 'utf8');
  const next = JSON.parse(shipped) as { fields: unknown[]; doc?: string };
  next.fields.push({
    name: 'chaosNote',
    type: ['null', 'string'],
    default: null,
    doc: 'Added by the fault campaign to test a producer upgrade (not a bus field).',
  });
  const injectedAt = new Date();
  const response = await fetch(`${REGISTRY_URL}/subjects/${subject}/versions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/vnd.schemaregistry.v1+json',
      authorization: registryAuth(),
    },
    body: JSON.stringify({ schema: JSON.stringify(next) }),
  });
  const { id } = (await response.json()) as { id?: number };
  if (!response.ok || id === undefined)
    return { injectedAt, liftedAt: new Date(), notes: [`registry refused v4: ${response.status}`] };
  const nextType = avro.Type.forSchema(next as avro.Schema);
  const recent = (await readTopic('population.citizen-changed', 1_500)).slice(-200);
  const messages = [];
  for (const record of recent) {
    if (!record.value || record.value[0] !== 0) continue;
    const old = (await writerType(record.value.readUInt32BE(1))).fromBuffer(
      record.value.subarray(5),
    ) as Record<string, unknown>;
    const header = Buffer.alloc(5);
    header.writeUInt32BE(id, 1);
    const body = nextType.toBuffer({ ...old, chaosNote: 'republished with the next version' });
    messages.push({ key: record.key, value: Buffer.concat([header, body]) });
  }
  const producer = adminKafka().producer();
  await producer.connect();
  await producer.send({ topic: 'population.citizen-changed', messages });
  await producer.disconnect();
  context.log(`schema id ${id} registered; ${messages.length} changes published again with it`);
  return {
    injectedAt,
    liftedAt: new Date(),
    notes: [`schema id ${id}`, `${messages.length} duplicates written with it`],
  };
}

/**
 * A row the relay cannot encode: it must reach `bus.outbox-relay.dlt` with its reason. If the
 * row is still unpublished after the wait (a relay without that path), the operator's remedy
 * is applied (the row is marked published, its JSON kept in the outbox) and the note says so.
 */
async function poisonOutbox(context: FaultContext): Promise<FaultOutcome> {
  const eventId = randomUUID();
  const key = poisonKey();
  context.checker.addPoison(eventId);
  const injectedAt = new Date();
  await withDatabase(nationalDatabase(), (client) =>
    client.query(
      `INSERT INTO outbox (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at)
       VALUES ($1, 'citizen', $2, 1, 'NOT_AN_EVENT_TYPE', $3, now())`,
      [eventId, key, JSON.stringify({ eventId, eventType: 'NOT_AN_EVENT_TYPE', personalId: key })],
    ),
  );
  const poison = await awaitDeadLetter(
    key,
    (names) => names.filter((t) => t.endsWith('.dlt')),
    context.options.poisonWaitSeconds,
  );
  const notes: string[] = [];
  const stuck = await withDatabase(nationalDatabase(), async (client) => {
    const { rows } = await client.query<{ pending: string; published: Date | null }>(
      `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL) AS pending,
              (SELECT published_at FROM outbox WHERE event_id = $1) AS published`,
      [eventId],
    );
    return rows[0]!;
  });
  let liftedAt = injectedAt;
  if (!poison.deadLetterTopic) {
    notes.push(
      `not dead-lettered after ${context.options.poisonWaitSeconds}s; ${stuck.pending} outbox rows unpublished behind it; operator remedy applied`,
    );
    await withDatabase(nationalDatabase(), (client) =>
      client.query('UPDATE outbox SET published_at = now() WHERE event_id = $1', [eventId]),
    );
    liftedAt = new Date();
  }
  return { injectedAt, liftedAt, notes, poison };
}
