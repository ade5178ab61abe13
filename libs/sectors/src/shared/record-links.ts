import type { ShareEvent } from './share-event';

/**
 * Merges and reissues arrive under the retired number's key; the successor's own events
 * travel under its key, on another partition, so a sector may see them in either order
 * (docs/sector-sync.md, "Merges and reissues in any order"). The retirement therefore
 * never writes the successor's citizen data when the sector already holds the successor:
 * the successor's own events are the newer truth. When the successor is not known yet,
 * it is created provisionally from the retired record, so that sector-owned data (a
 * card, holdings, applications) has a home; the successor's first own event, a full
 * state, then overwrites the citizen data and keeps the sector-owned data.
 */
/** A merge or reissue event on the retired number: it names the successor. */
export type RetirementEvent = ShareEvent & { readonly successorId: string };

export const isRetirement = (e: ShareEvent): e is RetirementEvent =>
  (e.eventType === 'RECORDS_MERGED' || e.eventType === 'ID_NUMBER_REISSUED') &&
  typeof e.successorId === 'string' &&
  e.successorId !== '';

export interface Retirement<S> {
  readonly retired: S;
  readonly successor: S;
}

export function retireInto<S>(
  retired: S,
  successor: S | null,
  provisional: (retired: S) => S,
): Retirement<S> {
  return { retired, successor: successor ?? provisional(retired) };
}
