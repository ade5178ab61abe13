import { describe, expect, it } from 'vitest';
import { fullDate, isoDay } from './share-event';

describe('share event dates', () => {
  it('reads occurredAt (midnight Vietnam time) as that civil day, not the previous UTC day', () => {
    // The population service sets occurredAt to 2024-05-10T00:00+07:00 = 2024-05-09T17:00Z.
    expect(isoDay(Date.parse('2024-05-10T00:00:00+07:00'))).toBe('2024-05-10');
  });

  it('completes a partial date to its first day', () => {
    expect(fullDate('2024')).toBe('2024-01-01');
    expect(fullDate('2024-5')).toBe('2024-05-01');
  });
});
