import { describe, expect, it } from 'vitest';
import { project, sampleCitizenChanged } from '@bus/contracts';
import {
  cardStatusOn,
  evolveInsured,
  retireInsured,
  underSixCardValidUntil,
} from './insured-person';

const bhyt = (type: Parameters<typeof sampleCitizenChanged>[0], o = {}) =>
  project('bhyt', sampleCitizenChanged(type, o))!;

describe('bhyt rules', () => {
  it('runs the under-6 card to 30 September of the 6th year, or to the end of the month for autumn births', () => {
    // Law 46/2014/QH13 art. 1(10); Decree 146/2018/NĐ-CP art. 13(2).
    expect(underSixCardValidUntil('2025-07-10')).toBe('2031-09-30');
    expect(underSixCardValidUntil('2025-01-01')).toBe('2031-09-30');
    expect(underSixCardValidUntil('2025-09-30')).toBe('2031-09-30');
    expect(underSixCardValidUntil('2025-10-01')).toBe('2031-10-31');
    expect(underSixCardValidUntil('2025-11-30')).toBe('2031-11-30');
    expect(underSixCardValidUntil('2025-12-31')).toBe('2031-12-31');
    expect(underSixCardValidUntil('2024-02-29')).toBe('2030-09-30');
    expect(underSixCardValidUntil('2025')).toBe('2031-09-30');
  });

  it('keeps an expired card expired at death and reports it EXPIRED after its last day', () => {
    const born = evolveInsured(null, bhyt('BIRTH_REGISTERED', { dateOfBirth: '2019-03-01' }));
    expect(born.cardValidUntil).toBe('2025-09-30');
    const dead = evolveInsured(
      born,
      bhyt('DEATH_REGISTERED', { personalId: born.personalId, dateOfDeath: '2026-01-05' }),
    );
    expect(dead).toMatchObject({ cardStatus: 'EXPIRED', cardValidUntil: '2025-09-30' });
    expect(cardStatusOn(born, '2025-09-30')).toBe('ACTIVE');
    expect(cardStatusOn(born, '2025-10-01')).toBe('EXPIRED');
    const moved = evolveInsured(
      born,
      bhyt('PERMANENT_RESIDENCE_CHANGED', {
        personalId: born.personalId,
        occurredAt: Date.parse('2025-10-01T00:00:00+07:00'),
        recordedAt: Date.parse('2025-10-01T02:00:00+07:00'),
      }),
    );
    expect(moved.cardStatus).toBe('EXPIRED');
  });

  it('falls back to the Vietnam civil day of occurredAt for the date of death', () => {
    const born = evolveInsured(null, bhyt('BIRTH_REGISTERED'));
    const dead = evolveInsured(
      born,
      bhyt('DEATH_REGISTERED', {
        personalId: born.personalId,
        dateOfDeath: null,
        occurredAt: Date.parse('2027-01-05T00:00:00+07:00'),
      }),
    );
    expect(dead).toMatchObject({ dateOfDeath: '2027-01-05', cardValidUntil: '2027-01-05' });
  });

  it('enrols a newborn, moves the province, ends the card on the date of death', () => {
    const born = evolveInsured(null, bhyt('BIRTH_REGISTERED'));
    expect(born).toMatchObject({
      cardStatus: 'ACTIVE',
      cardValidUntil: '2031-09-30',
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

  it('moves an active card to a successor without one, and leaves a card-holding successor its own', () => {
    const born = evolveInsured(null, bhyt('BIRTH_REGISTERED'));
    const link = bhyt('RECORDS_MERGED', {
      personalId: born.personalId,
      successorId: '066225009999',
    });
    const fresh = retireInsured(born, null, { ...link, successorId: '066225009999' });
    expect(fresh.retired).toMatchObject({ cardStatus: 'MOVED', successorId: '066225009999' });
    expect(fresh.successor).toMatchObject({
      personalId: '066225009999',
      cardStatus: 'ACTIVE',
      previousIds: [born.personalId],
    });
    const ownCard = { ...born, personalId: '066225009999', cardValidUntil: '2031-10-31' };
    const kept = retireInsured(born, ownCard, { ...link, successorId: '066225009999' });
    expect(kept.successor).toMatchObject({ cardValidUntil: '2031-10-31' });
  });

  it('issues the under-6 card to a loaded child still entitled, not to a loaded adult (eventKind INITIAL_LOAD)', () => {
    const loaded = (dateOfBirth: string) =>
      evolveInsured(
        null,
        bhyt('RECORD_CORRECTED', {
          eventKind: 'INITIAL_LOAD',
          dateOfBirth,
          occurredAt: Date.parse(`${dateOfBirth}T00:00:00+07:00`),
          recordedAt: Date.parse('2026-11-29T03:00:00Z'),
        }),
      );
    expect(loaded('2022-04-01')).toMatchObject({
      cardGroup: 'TE_UNDER_6',
      cardValidUntil: '2028-09-30',
      cardStatus: 'ACTIVE',
    });
    expect(loaded('1992-12-01').cardStatus).toBe('NONE');
    const corrected = evolveInsured(null, bhyt('RECORD_CORRECTED', { dateOfBirth: '2022-04-01' }));
    expect(corrected.cardStatus).toBe('NONE');
  });
});
