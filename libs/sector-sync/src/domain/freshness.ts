import type { SyncEnvelope } from './sync-envelope';

export interface Positioned<T> {
  readonly envelope: SyncEnvelope<T>;
  readonly offset: string;
}

export interface FreshnessSplit<T> {
  /** Events newer than everything seen for their key, in partition order, with the version they replace. */
  readonly fresh: { item: Positioned<T>; previousVersion: number | null }[];
  /** Duplicates and stale replays: not newer than the stored or an earlier in-batch version. */
  readonly stale: Positioned<T>[];
}

/**
 * Splits a batch against the stored per-key versions. The running maximum is
 * carried through the batch, so a duplicate inside one batch is caught as well
 * as a replay of something committed long ago.
 */
export function splitByFreshness<T>(
  items: readonly Positioned<T>[],
  stored: ReadonlyMap<string, number>,
): FreshnessSplit<T> {
  const latest = new Map(stored);
  const fresh: FreshnessSplit<T>['fresh'] = [];
  const stale: Positioned<T>[] = [];
  for (const item of items) {
    const { key, version } = item.envelope;
    const previous = latest.get(key);
    if (previous !== undefined && version <= previous) {
      stale.push(item);
      continue;
    }
    fresh.push({ item, previousVersion: previous ?? null });
    latest.set(key, version);
  }
  return { fresh, stale };
}

/** The highest version per key among applied events, for one bulk upsert. */
export function highestVersions(
  envelopes: readonly { key: string; version: number }[],
): Map<string, number> {
  const result = new Map<string, number>();
  for (const { key, version } of envelopes) {
    const current = result.get(key);
    if (current === undefined || version > current) result.set(key, version);
  }
  return result;
}
