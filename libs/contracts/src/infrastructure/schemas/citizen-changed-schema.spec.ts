import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import {
  CITIZEN_ENVELOPE_FIELDS,
  CITIZEN_EVENT_KINDS,
  CITIZEN_EVENT_TYPES,
  CITIZEN_STATE_FIELDS,
  MARITAL_STATUSES,
} from '../../domain/events/citizen-changed.event';
import { sampleCitizenChanged } from '../../domain/events/citizen-changed.samples';
import { validatePersonalId } from '../../domain/personal-id/personal-id';
import { checkCommune } from '../../domain/admin-units/administrative-units';
import {
  CITIZEN_CHANGED_SCHEMA_NAME,
  citizenChangedKeySchema,
  citizenChangedSchema,
  shippedSchemaVersions,
} from './schema-files';

type RecordSchema = { name: string; namespace: string; fields: { name: string; type: unknown }[] };

describe('schemas/citizen-changed', () => {
  const versions = shippedSchemaVersions(CITIZEN_CHANGED_SCHEMA_NAME);

  it('keeps every published version, v1 to v3', () => {
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    for (const v of versions) {
      expect(v.schema).toMatchObject({
        name: 'CitizenChanged',
        namespace: 'vn.gov.population.events',
      });
    }
  });

  it('matches the TypeScript field lists and enums (latest version)', () => {
    const latest = citizenChangedSchema() as RecordSchema;
    expect(latest.fields.map((f) => f.name)).toEqual([
      ...CITIZEN_ENVELOPE_FIELDS,
      ...CITIZEN_STATE_FIELDS,
    ]);
    const type = avsc.Type.forSchema(latest as avsc.Schema);
    const enumSymbols = (name: string) =>
      (type as avsc.types.RecordType).fields.find((f) => f.name === name)
        ?.type as avsc.types.EnumType;
    expect(enumSymbols('eventType').symbols).toEqual(CITIZEN_EVENT_TYPES);
    expect(enumSymbols('eventKind').symbols).toEqual(CITIZEN_EVENT_KINDS);
    expect(enumSymbols('maritalStatus').symbols).toEqual(MARITAL_STATUSES);
  });

  it('v2 only adds optional fields with a default', () => {
    const [v1, v2] = versions.map((v) => v.schema as RecordSchema);
    const added = v2!.fields.filter((f) => !v1!.fields.some((old) => old.name === f.name));
    expect(added).toEqual([expect.objectContaining({ name: 'electronicIdLevel', default: null })]);
  });

  it.each(CITIZEN_EVENT_TYPES)('round-trips a %s sample across v1, v2 and v3', (eventType) => {
    const [v1, v2, v3] = versions.map((v) => avsc.Type.forSchema(v.schema as avsc.Schema));
    const event = sampleCitizenChanged(eventType);
    const fromV3 = v1!.fromBuffer(v3!.toBuffer(event), v1!.createResolver(v3!)) as object;
    expect(fromV3).not.toHaveProperty('electronicIdLevel');
    expect(fromV3).not.toHaveProperty('eventKind');
    const fromV1 = v3!.fromBuffer(v1!.toBuffer(event), v3!.createResolver(v1!));
    expect(fromV1).toEqual({ ...event, electronicIdLevel: null, eventKind: 'OTHER' });
    const fromV2 = v3!.fromBuffer(v2!.toBuffer(event), v3!.createResolver(v2!));
    expect(fromV2).toEqual({ ...event, eventKind: 'OTHER' });
  });

  it('v3 adds eventKind, an enum born with a default, so the v1 eventType enum needs no new symbol', () => {
    const [, v2, v3] = versions.map((v) => v.schema as RecordSchema);
    const added = v3!.fields.filter((f) => !v2!.fields.some((old) => old.name === f.name));
    expect(added).toEqual([
      expect.objectContaining({
        name: 'eventKind',
        default: 'OTHER',
        type: expect.objectContaining({ default: 'OTHER' }),
      }),
    ]);
  });

  it('an old reader (v1, v2) reads an initial load as a full RECORD_CORRECTED state', () => {
    const [v1, v2, v3] = versions.map((v) => avsc.Type.forSchema(v.schema as avsc.Schema));
    const load = sampleCitizenChanged('RECORD_CORRECTED', { eventKind: 'INITIAL_LOAD' });
    const bytes = v3!.toBuffer(load);
    for (const old of [v1!, v2!]) {
      const read = old.fromBuffer(bytes, old.createResolver(v3!)) as Record<string, unknown>;
      expect(read).toMatchObject({ eventType: 'RECORD_CORRECTED', fullName: load.fullName });
    }
    expect(v3!.fromBuffer(bytes)).toMatchObject({ eventKind: 'INITIAL_LOAD' });
  });

  it('a v3 reader reads a kind added by a later version as OTHER (the enum default)', () => {
    const v3 = citizenChangedSchema(3) as RecordSchema;
    const withNewKind = JSON.parse(JSON.stringify(v3)) as RecordSchema;
    const kind = withNewKind.fields.find((f) => f.name === 'eventKind')!;
    (kind.type as { symbols: string[] }).symbols.push('BULK_REPAIR');
    const writer = avsc.Type.forSchema(withNewKind as avsc.Schema);
    const reader = avsc.Type.forSchema(v3 as avsc.Schema);
    const event = sampleCitizenChanged('RECORD_CORRECTED', {
      eventKind: 'BULK_REPAIR' as never,
    });
    expect(reader.fromBuffer(writer.toBuffer(event), reader.createResolver(writer))).toMatchObject({
      eventKind: 'OTHER',
    });
  });

  it('samples carry valid ID numbers and real commune codes', () => {
    for (const eventType of CITIZEN_EVENT_TYPES) {
      const event = sampleCitizenChanged(eventType);
      expect(
        validatePersonalId(event.personalId, {
          dateOfBirth: event.dateOfBirth,
          gender: event.gender,
        }),
      ).toMatchObject({ valid: true });
      for (const address of [event.permanentResidence, event.temporaryResidence]) {
        if (address) {
          expect(checkCommune(address.provinceCode, address.communeCode).status).toBe('valid');
        }
      }
    }
  });

  it('ships the key schema as a plain string', () => {
    expect(citizenChangedKeySchema()).toBe('string');
  });
});
