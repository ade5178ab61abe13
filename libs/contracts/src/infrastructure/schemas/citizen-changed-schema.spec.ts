import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import {
  CITIZEN_ENVELOPE_FIELDS,
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

  it('keeps every published version, v1 then v2', () => {
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
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
    expect(enumSymbols('maritalStatus').symbols).toEqual(MARITAL_STATUSES);
  });

  it('v2 only adds optional fields with a default', () => {
    const [v1, v2] = versions.map((v) => v.schema as RecordSchema);
    const added = v2!.fields.filter((f) => !v1!.fields.some((old) => old.name === f.name));
    expect(added).toEqual([expect.objectContaining({ name: 'electronicIdLevel', default: null })]);
  });

  it.each(CITIZEN_EVENT_TYPES)('round-trips a %s sample across v1 and v2', (eventType) => {
    const [v1, v2] = versions.map((v) => avsc.Type.forSchema(v.schema as avsc.Schema));
    const event = sampleCitizenChanged(eventType);
    const fromV2 = v1!.fromBuffer(v2!.toBuffer(event), v1!.createResolver(v2!)) as object;
    expect(fromV2).not.toHaveProperty('electronicIdLevel');
    const fromV1 = v2!.fromBuffer(v1!.toBuffer(event), v2!.createResolver(v1!));
    expect(fromV1).toEqual({ ...event, electronicIdLevel: null });
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
