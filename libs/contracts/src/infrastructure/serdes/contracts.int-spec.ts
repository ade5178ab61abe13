import { describe, expect, it } from 'vitest';
import {
  connectedConsumer,
  connectedProducer,
  createTestTopic,
  onCleanup,
  testStack,
  uniqueName,
  waitFor,
} from '@bus/testing';
import {
  CITIZEN_EVENT_TYPES,
  type CitizenChanged,
} from '../../domain/events/citizen-changed.event';
import { sampleCitizenChanged } from '../../domain/events/citizen-changed.samples';
import { projectEvent } from '../../domain/sharing/projection';
import { keySubject, MASTER_TOPIC, SECTORS, type Sector, valueSubject } from '../../domain/topics';
import { checkReader } from '../../domain/contract-checks/contract-checks';
import { checkRegistry, registryWriters } from '../registry/registry-checks';
import { RegistryHttpClient } from '../registry/registry-http.client';
import { citizenChangedKeySchema, citizenChangedSchema } from '../schemas/schema-files';
import { loadContractSet } from '../sharing/contract-set.loader';
import { projectionSchema, sharingPolicy } from '../sharing/shipped-policy';
import { AvroDeserializer, AvroSerializer } from './avro-serdes';

const registryUrl = () => testStack().schemaRegistryUrl;

/** Unique topic names stand in for the canonical ones, so the test owns its subjects. */
function uniqueTopics() {
  const base = uniqueName('contracts');
  const master = `${base}.population.citizen-changed`;
  const share = Object.fromEntries(
    SECTORS.map((s) => [s, `${base}.share.${s}.citizen-changed`]),
  ) as Record<Sector, string>;
  const http = new RegistryHttpClient(registryUrl());
  onCleanup(async () => {
    for (const topic of [master, ...Object.values(share)]) {
      for (const subject of [valueSubject(topic), keySubject(topic)]) {
        await http.deleteSubject(subject).catch(() => undefined);
      }
    }
  });
  return { master, share };
}

function withoutUndefined(value: object): object {
  return JSON.parse(JSON.stringify(value)) as object;
}

describe('contracts against the real schema registry', () => {
  it('registers every subject, and every sector reader decodes one event of each type from v1 and v2 writers', async () => {
    const { master, share } = uniqueTopics();
    const url = registryUrl();
    const http = new RegistryHttpClient(url);

    const v1 = await AvroSerializer.start<CitizenChanged>({
      registryUrl: url,
      topic: master,
      schema: citizenChangedSchema(1),
      keySchema: citizenChangedKeySchema(),
    });
    const v2 = await AvroSerializer.start<CitizenChanged>({
      registryUrl: url,
      topic: master,
      schema: citizenChangedSchema(2),
      keySchema: citizenChangedKeySchema(),
    });
    expect(v2.schemaId).not.toBe(v1.schemaId);
    expect(await http.getCompatibility(valueSubject(master))).toBe('FULL_TRANSITIVE');
    expect((await http.versions(valueSubject(master))).map((v) => v.id)).toEqual([
      v1.schemaId,
      v2.schemaId,
    ]);
    expect(await http.versions(keySubject(master))).toEqual([
      expect.objectContaining({ schema: 'string' }),
    ]);

    const sectorWriters = Object.fromEntries(
      await Promise.all(
        SECTORS.map(async (sector) => [
          sector,
          await AvroSerializer.start<object>({
            registryUrl: url,
            topic: share[sector],
            schema: projectionSchema(sector),
            keySchema: citizenChangedKeySchema(),
          }),
        ]),
      ),
    ) as Record<Sector, AvroSerializer<object>>;
    const masterReader = new AvroDeserializer<CitizenChanged>({
      registryUrl: url,
      readerSchema: citizenChangedSchema(),
    });
    const sectorReaders = Object.fromEntries(
      SECTORS.map((s) => [
        s,
        new AvroDeserializer<Record<string, unknown>>({
          registryUrl: url,
          readerSchema: projectionSchema(s),
        }),
      ]),
    ) as Record<Sector, AvroDeserializer<Record<string, unknown>>>;

    const policy = sharingPolicy();
    const received: Record<Sector, string[]> = { bhyt: [], land: [], tax: [], tthc: [] };
    for (const writer of [v1, v2]) {
      for (const eventType of CITIZEN_EVENT_TYPES) {
        const event = sampleCitizenChanged(eventType);
        const { schemaId, value } = await masterReader.decode(writer.serialize(event));
        expect(schemaId).toBe(writer.schemaId);
        expect(value).toEqual({
          ...event,
          electronicIdLevel: writer === v1 ? null : event.electronicIdLevel,
        });
        for (const sector of SECTORS) {
          const projected = projectEvent(policy, sector, value);
          if (projected === null) continue;
          const decoded = await sectorReaders[sector].deserialize(
            sectorWriters[sector].serialize(projected),
          );
          expect(withoutUndefined(decoded)).toEqual(withoutUndefined(projected));
          const grant = policy.sectors[sector];
          for (const field of Object.keys(decoded)) {
            // A redacted field stays in the schema (old readers need it) with a fixed value.
            if (field in grant.redacted) {
              expect({ field, value: decoded[field] }).toEqual({
                field,
                value: grant.redacted[field],
              });
              continue;
            }
            expect({
              field,
              granted: policy.envelopeFields.includes(field) || grant.fields.has(field),
            }).toEqual({
              field,
              granted: true,
            });
          }
          received[sector].push(eventType);
        }
      }
    }
    expect(received.tthc).toHaveLength(2 * CITIZEN_EVENT_TYPES.length);
    expect(received.land).not.toContain('TEMPORARY_RESIDENCE_CHANGED');
    expect(received.tax).not.toContain('ID_CARD_ISSUED');
    expect(received.bhyt).not.toContain('MARITAL_STATUS_CHANGED');

    const topicOf = (topic: string) =>
      topic === MASTER_TOPIC ? master : share[SECTORS.find((s) => topic.includes(`.${s}.`))!];
    const report = await checkRegistry(loadContractSet(), url, topicOf);
    expect(report.flatMap((r) => r.violations)).toEqual([]);
    expect(report.flatMap((r) => r.notes)).toEqual([]);

    const landWriters = await registryWriters(url, share.land);
    expect(landWriters).toHaveLength(1);
    const readerReport = checkReader(
      loadContractSet(),
      projectionSchema('land'),
      share.land,
      landWriters,
      url,
      'land',
    );
    expect(readerReport.flatMap((r) => r.violations)).toEqual([]);
  });

  it('keeps consumers on v1, v2 and projection v1 running on v3 initial loads, read as RECORD_CORRECTED', async () => {
    const { master, share } = uniqueTopics();
    const url = registryUrl();
    const writers = [];
    for (const version of [1, 2, 3]) {
      writers.push(
        await AvroSerializer.start<CitizenChanged>({
          registryUrl: url,
          topic: master,
          schema: citizenChangedSchema(version),
        }),
      );
    }
    const load = sampleCitizenChanged('RECORD_CORRECTED', { eventKind: 'INITIAL_LOAD' });
    const bytes = writers[2]!.serialize(load);
    for (const version of [1, 2]) {
      const old = new AvroDeserializer<Record<string, unknown>>({
        registryUrl: url,
        readerSchema: citizenChangedSchema(version),
      });
      const read = await old.deserialize(bytes);
      expect(read).toMatchObject({ eventType: 'RECORD_CORRECTED', fullName: load.fullName });
      expect(read).not.toHaveProperty('eventKind');
    }
    const latest = new AvroDeserializer<CitizenChanged>({
      registryUrl: url,
      readerSchema: citizenChangedSchema(),
    });
    expect(await latest.deserialize(bytes)).toMatchObject({ eventKind: 'INITIAL_LOAD' });
    expect(await latest.deserialize(writers[1]!.serialize(load))).toMatchObject({
      eventKind: 'OTHER',
    });

    // A sector still reading with projection v1 while the router writes projection v2.
    const projected = projectEvent(sharingPolicy(), 'bhyt', load)!;
    for (const version of [1, 2]) {
      await AvroSerializer.start<object>({
        registryUrl: url,
        topic: share.bhyt,
        schema: projectionSchema('bhyt', version),
      });
    }
    const router = await AvroSerializer.start<object>({
      registryUrl: url,
      topic: share.bhyt,
      schema: projectionSchema('bhyt'),
    });
    const sectorOnV1 = new AvroDeserializer<Record<string, unknown>>({
      registryUrl: url,
      readerSchema: projectionSchema('bhyt', 1),
    });
    const read = await sectorOnV1.deserialize(router.serialize(projected));
    expect(read).toMatchObject({ eventType: 'RECORD_CORRECTED', personalId: load.personalId });
    expect(read).not.toHaveProperty('eventKind');
  });

  it('refuses a master version that drops a required field, naming the subject', async () => {
    const { master } = uniqueTopics();
    const url = registryUrl();
    await AvroSerializer.start({ registryUrl: url, topic: master, schema: citizenChangedSchema() });
    const broken = citizenChangedSchema() as { fields: { name: string }[] };
    const v3 = { ...broken, fields: broken.fields.filter((f) => f.name !== 'givenName') };
    await expect(
      AvroSerializer.start({ registryUrl: url, topic: master, schema: v3 }),
    ).rejects.toMatchObject({ code: 'SCHEMA_INCOMPATIBLE' });
    const http = new RegistryHttpClient(url);
    const verdict = await http.testCompatibility(valueSubject(master), v3);
    expect(verdict.compatible).toBe(false);
    expect(verdict.messages.join(' ')).toContain('givenName');

    await http.setCompatibility(valueSubject(master), 'BACKWARD');
    const report = await checkRegistry(loadContractSet(), url, (topic) =>
      topic === MASTER_TOPIC ? master : topic,
    );
    expect(report.flatMap((r) => r.violations)).toContainEqual(
      expect.objectContaining({ rule: 'registry-level', subject: valueSubject(master) }),
    );
  });

  it('carries master events through Kafka with the personal ID as a plain UTF-8 key', async () => {
    const { master } = uniqueTopics();
    const topic = await createTestTopic('contracts-master');
    const serializer = await AvroSerializer.start<CitizenChanged>({
      registryUrl: registryUrl(),
      topic: master,
      schema: citizenChangedSchema(),
    });
    const producer = await connectedProducer();
    const events = CITIZEN_EVENT_TYPES.map((t) => sampleCitizenChanged(t));
    await producer.send({
      topic,
      messages: events.map((e) => ({ key: e.personalId, value: serializer.serialize(e) })),
    });
    const reader = new AvroDeserializer<CitizenChanged>({
      registryUrl: registryUrl(),
      readerSchema: citizenChangedSchema(),
    });
    const consumer = await connectedConsumer(uniqueName('contracts-group'));
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: CitizenChanged[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = await reader.deserialize(message.value);
        expect(message.key?.toString('utf8')).toBe(value.personalId);
        seen.push(value);
      },
    });
    await waitFor(() => seen.length === events.length, {
      description: 'every master event consumed',
      timeoutMs: 30_000,
    });
    expect(seen.map((e) => e.eventType)).toEqual(CITIZEN_EVENT_TYPES);
  });

  it('rejects a schema id the registry does not know', async () => {
    const reader = new AvroDeserializer({
      registryUrl: registryUrl(),
      readerSchema: citizenChangedSchema(),
    });
    await expect(
      reader.deserialize(Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2])),
    ).rejects.toMatchObject({
      code: 'SCHEMA_ID_UNKNOWN',
    });
  });
});
