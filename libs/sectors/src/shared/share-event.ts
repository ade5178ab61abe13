import type { ProjectedCitizenChanged } from '@bus/contracts';

/** What a sector receives on its share topic (its projection of CitizenChanged). */
export type ShareEvent = ProjectedCitizenChanged;

/** Epoch millis -> `YYYY-MM-DD` (UTC), the calendar day of a business time. */
export const isoDay = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/** A possibly partial ISO date (`YYYY`, `YYYY-MM`) completed to its first day. */
export function fullDate(partial: string): string {
  const [year, month = '01', day = '01'] = partial.split('-');
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}
