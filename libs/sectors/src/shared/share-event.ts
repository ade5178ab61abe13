import { vietnamDay, type ProjectedCitizenChanged } from '@bus/contracts/pure';

/** What a sector receives on its share topic (its projection of CitizenChanged). */
export type ShareEvent = ProjectedCitizenChanged;

/**
 * Epoch millis -> `YYYY-MM-DD`, the civil day of a business time in Vietnam (UTC+7):
 * the population service sets `occurredAt` to midnight Vietnam time, which is the
 * previous day in UTC.
 */
export const isoDay = (epochMs: number): string => vietnamDay(epochMs);

/**
 * The civil day a sector learns of an event: the later of its business and recording
 * times (an initial load's occurredAt is the date of birth; a late registration counts
 * when recorded). Age-based rules are evaluated on this day.
 */
export const eventDay = (e: Pick<ShareEvent, 'occurredAt' | 'recordedAt'>): string =>
  isoDay(Math.max(e.occurredAt, e.recordedAt));

/** A possibly partial ISO date (`YYYY`, `YYYY-MM`) completed to its first day. */
export function fullDate(partial: string): string {
  const [year, month = '01', day = '01'] = partial.split('-');
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}
