import { describe, expect, it } from 'vitest';
import { project, sampleCitizenChanged } from '@bus/contracts';
import { evolveTaxpayer, parentsOf } from './taxpayer';

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
});
