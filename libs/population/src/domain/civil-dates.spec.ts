import { describe, expect, it } from 'vitest';
import { ageOn, birthdayAt, isIsoDate, vietnamToday } from './civil-dates';

describe('civil dates', () => {
  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-13-01')).toBe(false);
    expect(isIsoDate("2020-01-01' OR 1=1")).toBe(false);
  });

  it('counts whole years of age', () => {
    expect(ageOn('2000-06-15', '2020-06-14')).toBe(19);
    expect(ageOn('2000-06-15', '2020-06-15')).toBe(20);
  });

  it('moves a 29 February birthday to 28 February in common years', () => {
    expect(birthdayAt('2004-02-29', 25)).toBe('2029-02-28');
    expect(birthdayAt('2004-05-01', 40)).toBe('2044-05-01');
  });

  it('uses the Vietnamese calendar day', () => {
    expect(vietnamToday(new Date('2025-07-01T18:00:00Z'))).toBe('2025-07-02');
  });
});
