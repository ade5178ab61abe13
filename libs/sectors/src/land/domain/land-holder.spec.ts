import { describe, expect, it } from 'vitest';
import { project, sampleCitizenChanged } from '@bus/contracts';
import { evolveHolder, linkDay, spouseLinkChange } from './land-holder';

describe('land rules', () => {
  it('opens a co-ownership reference on marriage and closes it on divorce', () => {
    const married = evolveHolder(
      null,
      project('land', sampleCitizenChanged('MARITAL_STATUS_CHANGED'))!,
    );
    expect(spouseLinkChange(null, married)).toEqual({
      close: null,
      open: '001090012345',
      repoint: null,
    });
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
    expect(spouseLinkChange(married, divorced)).toEqual({
      close: '001090012345',
      open: null,
      repoint: null,
    });
    expect(spouseLinkChange(married, married)).toEqual({ close: null, open: null, repoint: null });
  });

  it("repoints the reference when the spouse's number changes within the same marriage", () => {
    const married = evolveHolder(
      null,
      project('land', sampleCitizenChanged('MARITAL_STATUS_CHANGED'))!,
    );
    const corrected = { ...married, spouseId: '001390012345' };
    expect(spouseLinkChange(married, corrected, 'RECORD_CORRECTED')).toEqual({
      close: null,
      open: null,
      repoint: { from: '001090012345', to: '001390012345' },
    });
    expect(spouseLinkChange(married, corrected, 'MARITAL_STATUS_CHANGED')).toMatchObject({
      close: '001090012345',
      open: '001390012345',
    });
  });

  it("dates a loaded spouse's reference from the load, not from the date of birth", () => {
    const loaded = project(
      'land',
      sampleCitizenChanged('RECORD_CORRECTED', {
        eventKind: 'INITIAL_LOAD',
        occurredAt: Date.parse('1992-12-01T00:00:00+07:00'),
        recordedAt: Date.parse('2026-11-29T03:00:00Z'),
      }),
    )!;
    expect(linkDay(loaded)).toBe('2026-11-29');
    expect(linkDay({ ...loaded, eventKind: 'OTHER' })).toBe('1992-12-01');
  });
});
