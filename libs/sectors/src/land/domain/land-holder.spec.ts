import { describe, expect, it } from 'vitest';
import { project, sampleCitizenChanged } from '@bus/contracts';
import { evolveHolder, spouseLinkChange } from './land-holder';

describe('land rules', () => {
  it('opens a co-ownership reference on marriage and closes it on divorce', () => {
    const married = evolveHolder(
      null,
      project('land', sampleCitizenChanged('MARITAL_STATUS_CHANGED'))!,
    );
    expect(spouseLinkChange(null, married)).toEqual({ close: null, open: '001090012345' });
    const divorced = evolveHolder(
      married,
      project(
        'land',
        sampleCitizenChanged('MARITAL_STATUS_CHANGED', {
          maritalStatus: 'DIVORCED',
          spouseId: null,
        }),
      )!,
    );
    expect(spouseLinkChange(married, divorced)).toEqual({ close: '001090012345', open: null });
    expect(spouseLinkChange(married, married)).toEqual({ close: null, open: null });
  });
});
