import { vietnamDay } from '@bus/contracts/pure';

/** Civil-status dates are calendar dates (yyyy-mm-dd), compared as strings. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Whole years between a birth date and a later date. */
export function ageOn(dateOfBirth: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return date.slice(5) >= dateOfBirth.slice(5) ? years : years - 1;
}

/** The date on which someone born on `dateOfBirth` turns `years` (29 Feb → 28 Feb). */
export function birthdayAt(dateOfBirth: string, years: number): string {
  const year = String(Number(dateOfBirth.slice(0, 4)) + years).padStart(4, '0');
  const candidate = `${year}-${dateOfBirth.slice(5)}`;
  return isIsoDate(candidate) ? candidate : `${year}-02-28`;
}

/** Vietnam's civil calendar runs on UTC+7. */
export function vietnamToday(now: Date = new Date()): string {
  return vietnamDay(now.getTime());
}
