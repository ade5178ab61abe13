import { describe, expect, it } from 'vitest';
import { project, sampleCitizenChanged } from '@bus/contracts';
import { childDependants, evolveTaxpayer, parentsOf } from './taxpayer';

describe('tax rules', () => {
  it('moves the managing authority with the province and closes on death', () => {
    const adult = evolveTaxpayer(null, project('tax', sampleCitizenChanged('NAME_CHANGED'))!);
    expect(adult).toMatchObject({
      taxCode: '079192001122',
      managingAuthority: 'THUE-79',
      status: 'ACTIVE',
    });
    const moved = evolveTaxpayer(
      adult,
      project('tax', sampleCitizenChanged('PERMANENT_RESIDENCE_CHANGED'))!,
    );
    expect(moved.managingAuthority).toBe('THUE-01');
    const dead = evolveTaxpayer(moved, project('tax', sampleCitizenChanged('DEATH_REGISTERED'))!);
    expect(dead).toMatchObject({ status: 'CLOSED', closedOn: '2025-09-02' });
  });

  it('takes dependants from the parent links of a birth', () => {
    expect(parentsOf(project('tax', sampleCitizenChanged('BIRTH_REGISTERED'))!)).toEqual([
      '066090001234',
      '054195004321',
    ]);
  });

  it('keeps a child a dependant only while under 18 and alive (Circular 111/2013/TT-BTC art. 9)', () => {
    const at = (day: string) => Date.parse(`${day}T00:00:00+07:00`);
    const child = (day: string, o = {}) =>
      project(
        'tax',
        sampleCitizenChanged('NAME_CHANGED', {
          dateOfBirth: '2008-03-15',
          fatherId: '066090001234',
          motherId: '054195004321',
          occurredAt: at(day),
          recordedAt: at(day),
          ...o,
        }),
      )!;
    expect(parentsOf(child('2026-03-14'))).toEqual(['066090001234', '054195004321']);
    expect(childDependants(child('2026-03-15'))).toEqual({
      child: '079192001122',
      parents: [],
    });
    expect(parentsOf(child('2020-01-01', { eventType: 'DEATH_REGISTERED' }))).toEqual([]);
    // An adult loaded with parent links (occurredAt = date of birth) is nobody's dependant.
    expect(
      parentsOf(
        project(
          'tax',
          sampleCitizenChanged('RECORD_CORRECTED', {
            dateOfBirth: '1990-01-01',
            fatherId: '066060001234',
            occurredAt: at('1990-01-01'),
            recordedAt: at('2026-11-29'),
          }),
        )!,
      ),
    ).toEqual([]);
  });
});
