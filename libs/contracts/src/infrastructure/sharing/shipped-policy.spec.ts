import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import { CITIZEN_EVENT_TYPES } from '../../domain/events/citizen-changed.event';
import { sampleCitizenChanged } from '../../domain/events/citizen-changed.samples';
import {
  citizenChangedSchema,
  CITIZEN_CHANGED_SCHEMA_NAME,
  shippedSchemaVersions,
} from '../schemas/schema-files';
import { projectionSchema, sharingPolicy } from './shipped-policy';
import { SECTORS } from '../../domain/topics';
import { generateProjectionSchema, projectEvent } from '../../domain/sharing/projection';
import { parseSharingPolicy } from '../../domain/sharing/sharing-policy';

const policy = sharingPolicy();

describe('projectEvent', () => {
  it('drops event types the sector does not receive', () => {
    expect(projectEvent(policy, 'land', sampleCitizenChanged('BIRTH_REGISTERED'))).toBeNull();
    expect(
      projectEvent(policy, 'land', sampleCitizenChanged('TEMPORARY_RESIDENCE_CHANGED')),
    ).toBeNull();
    expect(projectEvent(policy, 'tax', sampleCitizenChanged('ID_CARD_ISSUED'))).toBeNull();
    expect(projectEvent(policy, 'bhyt', sampleCitizenChanged('MARITAL_STATUS_CHANGED'))).toBeNull();
    for (const type of CITIZEN_EVENT_TYPES) {
      expect(projectEvent(policy, 'tthc', sampleCitizenChanged(type))).not.toBeNull();
    }
  });

  it('keeps the envelope and only the granted fields', () => {
    const event = sampleCitizenChanged('MARITAL_STATUS_CHANGED');
    const land = projectEvent(policy, 'land', event)!;
    expect(land).toMatchObject({
      eventId: event.eventId,
      personalId: event.personalId,
      version: event.version,
      spouseId: event.spouseId,
      maritalStatus: 'MARRIED',
      changedFields: ['maritalStatus', 'spouseId'],
    });
    for (const withheld of ['temporaryResidence', 'fatherId', 'motherId', 'electronicIdLevel']) {
      expect(land).not.toHaveProperty(withheld);
    }
  });

  it('sends ethnicity (sensitive) only to health insurance, empty to the sectors it was withdrawn from', () => {
    const event = sampleCitizenChanged('RECORD_CORRECTED', {
      ethnicity: 'Ê Đê',
      changedFields: ['ethnicity', 'fullName'],
    });
    expect(projectEvent(policy, 'bhyt', event)).toMatchObject({
      ethnicity: 'Ê Đê',
      changedFields: ['ethnicity', 'fullName'],
    });
    for (const sector of ['land', 'tax', 'tthc'] as const) {
      expect(projectEvent(policy, sector, event)).toMatchObject({
        ethnicity: '',
        changedFields: ['fullName'],
      });
    }
  });

  it('filters changedFields to what the sector receives', () => {
    const event = sampleCitizenChanged('ID_CARD_ISSUED', {
      changedFields: ['idCardNumber', 'electronicIdLevel'],
    });
    expect(projectEvent(policy, 'bhyt', event)?.changedFields).toEqual(['idCardNumber']);
  });

  it('gives health insurance the parents only while the child is under 6', () => {
    const birth = sampleCitizenChanged('BIRTH_REGISTERED');
    expect(projectEvent(policy, 'bhyt', birth)).toMatchObject({
      fatherId: birth.fatherId,
      motherId: birth.motherId,
    });
    const sixYearsLater = sampleCitizenChanged('PERMANENT_RESIDENCE_CHANGED', {
      ...birth,
      eventType: 'PERMANENT_RESIDENCE_CHANGED',
      occurredAt: Date.UTC(2031, 6, 10),
    });
    expect(projectEvent(policy, 'bhyt', sixYearsLater)).toMatchObject({
      fatherId: null,
      motherId: null,
    });
    expect(projectEvent(policy, 'tax', sixYearsLater)).toMatchObject({ fatherId: birth.fatherId });
  });

  it('takes the age on the Vietnam civil date: the 6th birthday at midnight UTC+7 is 6 already', () => {
    const birth = sampleCitizenChanged('BIRTH_REGISTERED', { dateOfBirth: '2025-07-14' });
    const sixthBirthday = Date.parse('2031-07-14T00:00:00+07:00');
    const moved = sampleCitizenChanged('PERMANENT_RESIDENCE_CHANGED', {
      ...birth,
      eventType: 'PERMANENT_RESIDENCE_CHANGED',
      occurredAt: sixthBirthday,
      recordedAt: sixthBirthday,
    });
    expect(projectEvent(policy, 'bhyt', moved)).toMatchObject({ fatherId: null, motherId: null });
  });

  it("withholds an adult's parents on an initial load whose occurredAt is the date of birth", () => {
    const loaded = sampleCitizenChanged('RECORD_CORRECTED', {
      dateOfBirth: '1990-03-02',
      fatherId: '001060000001',
      motherId: '001160000002',
      occurredAt: Date.parse('1990-03-02T00:00:00+07:00'),
      recordedAt: Date.parse('2026-11-29T03:00:00Z'),
    });
    expect(projectEvent(policy, 'bhyt', loaded)).toMatchObject({ fatherId: null, motherId: null });
  });
});

describe('generateProjectionSchema', () => {
  it.each(SECTORS)('%s: the shipped projection is what the policy generates', (sector) => {
    expect(projectionSchema(sector)).toEqual(
      generateProjectionSchema(citizenChangedSchema(), policy, sector),
    );
  });

  it('inlines a named type whose first definition was withheld', () => {
    const withoutPermanent = parseSharingPolicy({
      ...policy.document,
      fieldGroups: { ...policy.document.fieldGroups, permanentResidence: [] },
    });
    const schema = generateProjectionSchema(citizenChangedSchema(), withoutPermanent, 'tax');
    const type = avsc.Type.forSchema(schema as avsc.Schema) as avsc.types.RecordType;
    expect(type.fields.map((f) => f.name)).toContain('temporaryResidence');
    expect(type.fields.map((f) => f.name)).not.toContain('permanentResidence');
  });

  it.each(SECTORS)('%s: reads what it projects from every master version', (sector) => {
    const reader = avsc.Type.forSchema(projectionSchema(sector) as avsc.Schema);
    for (const { schema } of shippedSchemaVersions(CITIZEN_CHANGED_SCHEMA_NAME)) {
      const master = avsc.Type.forSchema(schema as avsc.Schema);
      for (const type of CITIZEN_EVENT_TYPES) {
        const decoded = master.fromBuffer(master.toBuffer(sampleCitizenChanged(type)));
        const projected = projectEvent(policy, sector, decoded);
        if (projected === null) continue;
        expect(reader.fromBuffer(reader.toBuffer(projected))).toEqual(
          expect.objectContaining({
            eventId: projected.eventId,
            changedFields: projected.changedFields,
          }),
        );
      }
    }
  });
});

describe('parseSharingPolicy', () => {
  it('names the unknown group and the missing sector', () => {
    const sectors: Record<string, unknown> = {
      ...policy.document.sectors,
      land: { ...policy.document.sectors.land!, fieldGroups: ['identity', 'bankAccounts'] },
    };
    delete sectors.tax;
    const broken = { ...policy.document, sectors };
    expect(() => parseSharingPolicy(broken)).toThrow(
      expect.objectContaining({
        code: 'SHARING_POLICY_INVALID',
        fields: expect.arrayContaining([
          expect.objectContaining({
            path: 'sectors.land.fieldGroups',
            message: 'unknown field group bankAccounts',
          }),
          expect.objectContaining({ path: 'sectors.tax' }),
        ]),
      }),
    );
  });

  it('delivers land only to followed citizens, started by no event; the others receive all', () => {
    expect(policy.sectors.land.delivery).toBe('followed');
    expect([...policy.sectors.land.followStartedBy]).toEqual([]);
    for (const sector of ['bhyt', 'tax', 'tthc'] as const) {
      expect(policy.sectors[sector].delivery).toBe('all');
    }
  });

  it('refuses events that start a follow for an "all" sector, or that the sector does not receive', () => {
    const { bhyt, land } = policy.document.sectors;
    const broken = {
      ...policy.document,
      sectors: {
        ...policy.document.sectors,
        bhyt: { ...bhyt!, followStartedBy: ['BIRTH_REGISTERED'] },
        land: { ...land!, followStartedBy: ['BIRTH_REGISTERED'] },
      },
    };
    expect(() => parseSharingPolicy(broken)).toThrow(
      expect.objectContaining({
        fields: [
          expect.objectContaining({
            path: 'sectors.bhyt.followStartedBy',
            message: 'only a sector with delivery "followed" has events that start a follow',
          }),
          expect.objectContaining({
            path: 'sectors.land.followStartedBy',
            message: 'BIRTH_REGISTERED starts a follow but the sector does not receive it',
          }),
        ],
      }),
    );
  });
});
