import { describe, expect, it } from 'vitest';
import { loadSharingPolicy } from './shipped-policy';
import { ageInYearsOn, vietnamDay } from '../../domain/civil-time/civil-time';
import {
  CITIZEN_EVENT_TYPES,
  type CitizenChanged,
} from '../../domain/events/citizen-changed.event';
import { sampleCitizenChanged } from '../../domain/events/citizen-changed.samples';
import { SECTORS, type Sector } from '../../domain/topics';
import { compileProjection, projectEvent } from '../../domain/sharing/projection';
import { parseSharingPolicy, type SharingPolicy } from '../../domain/sharing/sharing-policy';

/** The policy read field by field, as projectEvent did before it was compiled. */
function plainReading(
  policy: SharingPolicy,
  sector: Sector,
  event: CitizenChanged,
): Record<string, unknown> | null {
  const grant = policy.sectors[sector];
  if (!grant.eventTypes.has(event.eventType)) return null;
  const source = event as unknown as Record<string, unknown>;
  const projected: Record<string, unknown> = {};
  for (const field of policy.envelopeFields) projected[field] = source[field];
  for (const field of grant.fields) {
    const condition = grant.conditions[field];
    const age =
      typeof event.dateOfBirth === 'string'
        ? ageInYearsOn(event.dateOfBirth, vietnamDay(Math.max(event.occurredAt, event.recordedAt)))
        : Number.NaN;
    const holds =
      condition === undefined || (Number.isFinite(age) && age < condition.onlyIfAgeUnder);
    projected[field] = holds ? (source[field] ?? null) : null;
  }
  for (const [field, value] of Object.entries(grant.redacted)) projected[field] = value;
  projected.changedFields = event.changedFields.filter((f) => grant.fields.has(f));
  return projected;
}

describe('compileProjection', () => {
  const policy = loadSharingPolicy();
  const births = ['2025-07-10', '2019-11-30', '2019-12-01', '1992', '1992-12', 'not a date'];

  it('gives the plain reading of the policy: same fields, values and key order', () => {
    let compared = 0;
    for (const sector of SECTORS) {
      for (const type of CITIZEN_EVENT_TYPES) {
        for (const dateOfBirth of births) {
          // A missing state field (an older writer) becomes null, as before.
          const event = sampleCitizenChanged(type, {
            dateOfBirth,
            changedFields: ['fullName', 'fatherId', 'spouseId', 'ethnicity', 'electronicIdLevel'],
            electronicIdLevel: undefined as unknown as null,
          });
          const expected = plainReading(policy, sector, event);
          const actual = projectEvent(policy, sector, event);
          expect(actual).toEqual(expected);
          if (expected !== null) {
            expect(Object.keys(actual as object)).toEqual(Object.keys(expected));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('nulls the conditional fields past the age and without a date of birth', () => {
    const adult = sampleCitizenChanged('NAME_CHANGED', { dateOfBirth: '1992-12-01' });
    expect(projectEvent(policy, 'bhyt', adult)).toMatchObject({ fatherId: null, motherId: null });
    const child = sampleCitizenChanged('NAME_CHANGED');
    expect(projectEvent(policy, 'bhyt', child)).toMatchObject({
      fatherId: child.fatherId,
      motherId: child.motherId,
    });
  });

  it('refuses a field name that is not an Avro name', () => {
    const raw = structuredClone(policy.document) as { sectors: { tax: { fields?: string[] } } };
    raw.sectors.tax.fields = ['fullName: 1, x'];
    expect(() => compileProjection(parseSharingPolicy(raw), 'tax')).toThrow(
      expect.objectContaining({ code: 'SHARING_POLICY_INVALID' }),
    );
  });
});
