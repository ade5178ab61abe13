import { project, sampleCitizenChanged, type CitizenChanged, type Sector } from '@bus/contracts';
import { isRetirement, type Retirement, type RetirementEvent } from './record-links';
import type { ShareEvent } from './share-event';

/** A sector's pure rules, as its infrastructure applies them (test support). */
export interface PureSector<S> {
  readonly key: (state: S) => string;
  readonly evolve: (current: S | null, e: ShareEvent) => S;
  readonly retire: (current: S | null, successor: S | null, e: RetirementEvent) => Retirement<S>;
}

/** Applies events in the given order the way the sector transport does (cross-record events one by one, the rest evolved), in memory. */
export function replay<S>(sector: PureSector<S>, events: readonly ShareEvent[]): Map<string, S> {
  const states = new Map<string, S>();
  for (const e of events) {
    if (isRetirement(e)) {
      const { retired, successor } = sector.retire(
        states.get(e.personalId) ?? null,
        states.get(e.successorId) ?? null,
        e,
      );
      states.set(sector.key(retired), retired);
      states.set(sector.key(successor), successor);
    } else {
      const next = sector.evolve(states.get(e.personalId) ?? null, e);
      states.set(sector.key(next), next);
    }
  }
  return states;
}

/** Every merge of two per-key sequences that keeps each key's own order. */
export function interleavings<T>(a: readonly T[], b: readonly T[]): T[][] {
  if (a.length === 0) return [[...b]];
  if (b.length === 0) return [[...a]];
  return [
    ...interleavings(a.slice(1), b).map((rest) => [a[0]!, ...rest]),
    ...interleavings(a, b.slice(1)).map((rest) => [b[0]!, ...rest]),
  ];
}

const at = (day: string) => Date.parse(`${day}T00:00:00+07:00`);

function step(
  from: CitizenChanged,
  eventType: CitizenChanged['eventType'],
  day: string,
  changes: Partial<CitizenChanged> = {},
): CitizenChanged {
  return {
    ...from,
    ...changes,
    eventType,
    eventId: `${from.personalId}-${from.version + 1}`,
    version: from.version + 1,
    occurredAt: at(day),
    recordedAt: at(day),
    successorId: changes.successorId ?? null,
    changedFields: Object.keys(changes),
  };
}

/** A birth registered on the day of birth (midnight Vietnam time). */
export function born(
  personalId: string,
  dateOfBirth: string,
  overrides: Partial<CitizenChanged> = {},
): CitizenChanged {
  return sampleCitizenChanged('BIRTH_REGISTERED', {
    eventId: `${personalId}-1`,
    personalId,
    version: 1,
    dateOfBirth,
    occurredAt: at(dateOfBirth),
    recordedAt: at(dateOfBirth),
    ...overrides,
  });
}

/**
 * The two keys' events of a reissue and of a merge, as the population service publishes
 * them: the retired key ends with the link to its successor; the successor's key carries
 * its own, newer state (a name change, a death). `serial` (0-99) keeps the numbers of two
 * scenarios apart.
 */
export function linkScenarios(
  serial = 1,
): Record<'reissue' | 'merge', { retiredKey: CitizenChanged[]; successorKey: CitizenChanged[] }> {
  const id = (centuryGender: string, n: number) =>
    `066${centuryGender}25${String(serial * 1000 + n).padStart(6, '0')}`;
  const old = born(id('2', 101), '2025-03-01');
  const reissuedAt = '2025-06-01';
  const fresh: CitizenChanged = {
    ...step(old, 'ID_NUMBER_REISSUED', reissuedAt),
    personalId: id('3', 101),
    eventId: `${id('3', 101)}-1`,
    version: 1,
    gender: 'FEMALE',
    changedFields: ['gender'],
  };
  const retiredTwin = born(id('2', 202), '2025-03-01');
  const survivor = born(id('2', 203), '2025-03-01');
  const merged = step(survivor, 'RECORDS_MERGED', '2025-08-01');
  return {
    reissue: {
      retiredKey: [
        old,
        step(old, 'ID_NUMBER_REISSUED', reissuedAt, { successorId: fresh.personalId }),
      ],
      successorKey: [
        fresh,
        step(fresh, 'NAME_CHANGED', '2025-07-01', { fullName: 'Nguyễn Thị An', givenName: 'An' }),
      ],
    },
    merge: {
      retiredKey: [
        retiredTwin,
        step(retiredTwin, 'RECORDS_MERGED', '2025-08-01', { successorId: survivor.personalId }),
      ],
      successorKey: [
        survivor,
        merged,
        step(merged, 'DEATH_REGISTERED', '2025-09-02', {
          status: 'DECEASED',
          dateOfDeath: '2025-09-02',
        }),
      ],
    },
  };
}

/** The sector's view of a scenario's events (withheld event types dropped). */
export const projected = (sector: Sector, events: readonly CitizenChanged[]): ShareEvent[] =>
  events.flatMap((e) => project(sector, e) ?? []);
