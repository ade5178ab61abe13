/**
 * Vietnam's civil calendar runs on UTC+7 (no daylight saving). Business times on the bus
 * (`occurredAt`, `recordedAt`) are instants; a civil date is the calendar day in Vietnam
 * at that instant. Formatting an instant in UTC instead moves midnight Vietnam time to
 * the previous day.
 */
export const VIETNAM_UTC_OFFSET_MS = 7 * 3_600_000;

/** Epoch millis -> `YYYY-MM-DD`, the calendar day in Vietnam at that instant. */
export function vietnamDay(epochMs: number): string {
  return new Date(epochMs + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Age in whole years on the civil date `day` (`YYYY-MM-DD`), from a possibly partial ISO
 * date of birth (`YYYY`, `YYYY-MM`) completed to its first day: the oldest the person can
 * be. NaN when the date of birth is not a date.
 */
export function ageInYearsOn(dateOfBirth: string, day: string): number {
  const [year = NaN, month = 1, date = 1] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const beforeBirthday = m < month || (m === month && d < date);
  return y - year - (beforeBirthday ? 1 : 0);
}
