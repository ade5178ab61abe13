import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import avro from 'avsc';
import kafkajs from 'kafkajs';
import { ADMIN_PRINCIPAL, kafkajsSecurity } from '../kafka-security.ts';
import { registryUserInfoFile } from '../registry-users.ts';
import { REGISTRY_PORT } from '../stack-settings.ts';
import { bootstrapBrokers } from '../kafka-nodes.ts';

export const REGISTRY_URL = `http://127.0.0.1:${REGISTRY_PORT}`;

export function adminKafka(): kafkajs.Kafka {
  return new kafkajs.Kafka({
    clientId: 'chaos',
    brokers: bootstrapBrokers(),
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 5_000,
    retry: { retries: 5 },
    ...kafkajsSecurity(ADMIN_PRINCIPAL),
  });
}

export function registryAuth(): string {
  const info = readFileSync(registryUserInfoFile('admin'), 'utf8').trim();
  return `Basic ${Buffer.from(info).toString('base64')}`;
}

const schemas = new Map<number, Promise<avro.Type>>();

/** The writer schema of a Confluent-framed record, by its id, straight from the registry. */
export function writerType(id: number): Promise<avro.Type> {
  let type = schemas.get(id);
  if (!type) {
    type = fetch(`${REGISTRY_URL}/schemas/ids/${id}`, {
      headers: { authorization: registryAuth() },
    })
      .then((response) => response.json() as Promise<{ schema: string }>)
      .then((body) => avro.Type.forSchema(JSON.parse(body.schema) as avro.Schema));
    schemas.set(id, type);
  }
  return type;
}

export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/**
 * Every committed record of a topic (read_committed), read from the beginning by a group of
 * its own; the read ends once no record came for `idleMs` (the topics are quiet by then).
 */
export async function readTopic(
  topic: string,
  idleMs = 4_000,
  maxMs = 120_000,
): Promise<TopicRecord[]> {
  const kafka = adminKafka();
  const admin = kafka.admin();
  await admin.connect();
  const exists = (await admin.listTopics()).includes(topic);
  await admin.disconnect();
  if (!exists) return [];
  const consumer = kafka.consumer({
    groupId: `chaos.checker.${randomUUID()}`,
    readUncommitted: false,
  });
  const records: TopicRecord[] = [];
  let last = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      last = Date.now();
      records.push({
        partition,
        offset: message.offset,
        key: message.key?.toString('utf8') ?? '',
        value: message.value,
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? '']),
        ),
      });
    },
  });
  const started = Date.now();
  while (Date.now() - last < idleMs && Date.now() - started < maxMs)
    await new Promise((resolve) => setTimeout(resolve, 500));
  await consumer.disconnect();
  return records;
}

/** The eventId of a framed Avro record, or undefined when it is not one (poison). */
export async function eventIdOf(value: Buffer | null): Promise<string | undefined> {
  if (!value || value.length < 6 || value[0] !== 0) return undefined;
  try {
    const type = await writerType(value.readUInt32BE(1));
    const decoded = type.fromBuffer(value.subarray(5)) as { eventId?: string };
    return decoded.eventId;
  } catch {
    return undefined;
  }
}

export async function topicNames(): Promise<string[]> {
  const admin = adminKafka().admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the bus's topics and groups: each run starts with empty topics and no offsets. */
export async function resetKafka(): Promise<void> {
  const admin = adminKafka().admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 60_000 });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await admin.listTopics()).some((t) => topics.includes(t)))
      await new Promise((resolve) => setTimeout(resolve, 500));
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
