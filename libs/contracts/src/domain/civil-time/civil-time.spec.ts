import { describe, expect, it } from 'vitest';
import { ageInYearsOn, vietnamDay } from './civil-time';

describe('civil time (UTC+7)', () => {
  it('formats midnight Vietnam time as that day, not the previous UTC day', () => {
    expect(vietnamDay(Date.parse('2024-05-10T00:00:00+07:00'))).toBe('2024-05-10');
    expect(vietnamDay(Date.parse('2024-05-10T23:59:59+07:00'))).toBe('2024-05-10');
    expect(vietnamDay(Date.parse('2024-05-10T17:00:00Z'))).toBe('2024-05-11');
  });

  it('counts whole years from full and partial dates of birth', () => {
    expect(ageInYearsOn('2020-05-10', '2026-05-09')).toBe(5);
    expect(ageInYearsOn('2020-05-10', '2026-05-10')).toBe(6);
    expect(ageInYearsOn('2020', '2026-01-01')).toBe(6);
    expect(ageInYearsOn('2020-07', '2026-06-30')).toBe(5);
    expect(ageInYearsOn('unknown', '2026-06-30')).toBeNaN();
  });
});
