import { describe, expect, it } from 'vitest';
import { project, sampleCitizenChanged } from '@bus/contracts';
import {
  evolveInsured,
  mergeInsured,
  reissueInsured,
  underSixCardValidUntil,
} from './insured-person';

const bhyt = (type: Parameters<typeof sampleCitizenChanged>[0], o = {}) =>
  project('bhyt', sampleCitizenChanged(type, o))!;

describe('bhyt rules', () => {
  it('ends the under-6 card the day before the 6th birthday', () => {
    expect(underSixCardValidUntil('2025-07-10')).toBe('2031-07-09');
    expect(underSixCardValidUntil('2024-02-29')).toBe('2030-02-28');
    expect(underSixCardValidUntil('2024-03-01')).toBe('2030-02-28');
  });

  it('enrols a newborn, moves the province, ends the card on the date of death', () => {
    const born = evolveInsured(null, bhyt('BIRTH_REGISTERED'));
    expect(born).toMatchObject({
      cardStatus: 'ACTIVE',
      cardValidUntil: '2031-07-09',
      registeredProvince: '66',
    });
    const moved = evolveInsured(
      born,
      bhyt('PERMANENT_RESIDENCE_CHANGED', { personalId: born.personalId }),
    );
    expect(moved.registeredProvince).toBe('01');
    const dead = evolveInsured(
      moved,
      bhyt('DEATH_REGISTERED', { personalId: born.personalId, dateOfDeath: '2027-01-05' }),
    );
    expect(dead).toMatchObject({
      status: 'DECEASED',
      cardStatus: 'ENDED',
      cardValidUntil: '2027-01-05',
    });
  });

  it('moves a merged card to the successor and re-keys a reissued number', () => {
    const born = evolveInsured(null, bhyt('BIRTH_REGISTERED'));
    const { retired, successor } = mergeInsured(born, null, '066225009999');
    expect(retired).toMatchObject({ cardStatus: 'MOVED', successorId: '066225009999' });
    expect(successor).toMatchObject({
      personalId: '066225009999',
      cardStatus: 'ACTIVE',
      previousIds: [born.personalId],
    });
    const reissued = reissueInsured(born, '066325001111');
    expect(reissued).toMatchObject({
      personalId: '066325001111',
      previousIds: [born.personalId],
      cardStatus: 'ACTIVE',
    });
  });
});
