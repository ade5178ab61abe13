import { describe, expect, it } from 'vitest';
import { project, sampleCitizenChanged } from '@bus/contracts';
import { evolveProfile } from './citizen-profile';

describe('tthc profile', () => {
  it('keeps the latest state for pre-filling, including a cleared temporary residence', () => {
    const withTemp = evolveProfile(
      null,
      project('tthc', sampleCitizenChanged('TEMPORARY_RESIDENCE_CHANGED'))!,
    );
    expect(withTemp.temporaryResidence?.provinceCode).toBe('66');
    const cleared = evolveProfile(
      withTemp,
      project('tthc', sampleCitizenChanged('NAME_CHANGED', { temporaryResidence: null }))!,
    );
    expect(cleared).toMatchObject({
      fullName: 'Trần Ngọc Ánh',
      temporaryResidence: null,
      electronicIdLevel: 2,
    });
  });
});
