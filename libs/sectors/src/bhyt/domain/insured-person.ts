import { retireInto, type Retirement, type RetirementEvent } from '../../shared/record-links';
import { eventDay, fullDate, isoDay, type ShareEvent } from '../../shared/share-event';

/** EXPIRED: the card's validity ran out; ENDED: cover ended early (death). */
export type CardStatus = 'NONE' | 'ACTIVE' | 'EXPIRED' | 'ENDED' | 'MOVED';

/** The health-insurance register's own record: no marital data (withheld from bhyt). */
export interface InsuredPerson {
  readonly personalId: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly gender: string;
  readonly registeredProvince: string | null;
  readonly registeredCommune: string | null;
  readonly temporaryProvince: string | null;
  readonly status: string;
  readonly dateOfDeath: string | null;
  readonly cardGroup: string | null;
  readonly cardValidFrom: string | null;
  readonly cardValidUntil: string | null;
  readonly cardStatus: CardStatus;
  readonly idCardNumber: string | null;
  readonly successorId: string | null;
  readonly previousIds: readonly string[];
}

/** State-paid group for children under 6 (Law on Health Insurance, art. 12). */
export const UNDER_SIX_GROUP = 'TE_UNDER_6';

const lastDayOfMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Last day of the under-6 card. Law on Health Insurance 25/2008/QH12, art. 16, as
 * amended by Law 46/2014/QH13 (art. 1(10)): the card runs until the child is 72 months
 * old, and when the child is 72 months old but not yet at school, until 30 September of
 * that year. Decree 146/2018/NĐ-CP art. 13(2) fixes the dates: born up to 30 September,
 * the card runs to 30 September of the year the child turns 72 months; born after 30
 * September, to the last day of the month the child turns 72 months. (Law 51/2024/QH15
 * and its guiding decree were searched for a change to this and none was confirmed.)
 */
export function underSixCardValidUntil(dateOfBirth: string): string {
  const [y, m, d] = fullDate(dateOfBirth).split('-').map(Number) as [number, number, number];
  const sixth = y + 6;
  if (m < 9 || (m === 9 && d <= 30)) return `${sixth}-09-30`;
  const month = String(m).padStart(2, '0');
  return `${sixth}-${month}-${String(lastDayOfMonth(sixth, m)).padStart(2, '0')}`;
}

/** The card's status on a civil date: an ACTIVE card past its last day has EXPIRED. */
export function cardStatusOn(
  card: Pick<InsuredPerson, 'cardStatus' | 'cardValidUntil'>,
  day: string,
): CardStatus {
  if (card.cardStatus !== 'ACTIVE' || card.cardValidUntil === null) return card.cardStatus;
  return card.cardValidUntil < day ? 'EXPIRED' : 'ACTIVE';
}

function underSixCard(person: InsuredPerson): InsuredPerson {
  return {
    ...person,
    cardGroup: UNDER_SIX_GROUP,
    cardValidFrom: fullDate(person.dateOfBirth),
    cardValidUntil: underSixCardValidUntil(person.dateOfBirth),
    cardStatus: 'ACTIVE',
  };
}

function loadedChildNeedsCard(person: InsuredPerson, day: string): boolean {
  if (person.cardStatus !== 'NONE' || !person.dateOfBirth || person.status === 'DECEASED') {
    return false;
  }
  return underSixCardValidUntil(person.dateOfBirth) >= day;
}

/**
 * A death ends a card still in force on the date of death; a card that had already
 * expired keeps its own end date (Law on Health Insurance, art. 16: validity ends at death).
 */
function endCardAtDeath(person: InsuredPerson, dateOfDeath: string): InsuredPerson {
  const status = cardStatusOn(person, dateOfDeath);
  if (status !== 'ACTIVE') return { ...person, cardStatus: status };
  return { ...person, cardValidUntil: dateOfDeath, cardStatus: 'ENDED' };
}

function identity(current: InsuredPerson | null, e: ShareEvent): InsuredPerson {
  return {
    personalId: e.personalId,
    fullName: e.fullName ?? current?.fullName ?? '',
    dateOfBirth: e.dateOfBirth ?? current?.dateOfBirth ?? '',
    gender: e.gender ?? current?.gender ?? '',
    registeredProvince: e.permanentResidence?.provinceCode ?? current?.registeredProvince ?? null,
    registeredCommune: e.permanentResidence?.communeCode ?? current?.registeredCommune ?? null,
    temporaryProvince:
      e.temporaryResidence === undefined
        ? (current?.temporaryProvince ?? null)
        : (e.temporaryResidence?.provinceCode ?? null),
    status: e.status ?? current?.status ?? 'ALIVE',
    dateOfDeath: e.dateOfDeath ?? current?.dateOfDeath ?? null,
    cardGroup: current?.cardGroup ?? null,
    cardValidFrom: current?.cardValidFrom ?? null,
    cardValidUntil: current?.cardValidUntil ?? null,
    cardStatus: current?.cardStatus ?? 'NONE',
    idCardNumber: e.idCardNumber ?? current?.idCardNumber ?? null,
    successorId: e.successorId ?? current?.successorId ?? null,
    previousIds: current?.previousIds ?? [],
  };
}

/** Every event but merges and reissues: the record after `e`. */
export function evolveInsured(current: InsuredPerson | null, e: ShareEvent): InsuredPerson {
  const next = identity(current, e);
  if (e.eventType === 'BIRTH_REGISTERED' && next.dateOfBirth) {
    return underSixCard(next);
  }
  if (e.eventKind === 'INITIAL_LOAD' && loadedChildNeedsCard(next, eventDay(e))) {
    // A child loaded onto the bus is still entitled to the under-6 card (art. 12 group).
    return underSixCard(next);
  }
  if (e.eventType === 'DEATH_REGISTERED') {
    const dateOfDeath = e.dateOfDeath ?? isoDay(e.occurredAt);
    return endCardAtDeath({ ...next, status: 'DECEASED', dateOfDeath }, dateOfDeath);
  }
  return { ...next, cardStatus: cardStatusOn(next, eventDay(e)) };
}

const NO_CARD = {
  cardGroup: null,
  cardValidFrom: null,
  cardValidUntil: null,
  cardStatus: 'NONE',
} as const satisfies Partial<InsuredPerson>;

/**
 * RECORDS_MERGED or ID_NUMBER_REISSUED on the retired number, in whatever order it
 * arrives relative to the successor's own events. The successor's citizen data is never
 * taken from the retired record when the successor is known; the retired card moves to
 * a successor that has no card of its own; the retired number
 * is remembered and its active card is MOVED either way.
 */
export function retireInsured(
  current: InsuredPerson | null,
  successor: InsuredPerson | null,
  e: RetirementEvent,
): Retirement<InsuredPerson> {
  const before = evolveInsured(current, e);
  const hasCard = before.cardStatus === 'ACTIVE';
  const { retired, successor: base } = retireInto(
    { ...before, successorId: e.successorId, cardStatus: hasCard ? 'MOVED' : before.cardStatus },
    successor,
    (r) => ({ ...r, ...NO_CARD, personalId: e.successorId, successorId: null, previousIds: [] }),
  );
  // A successor with any card of its own (active, expired, ended at death) keeps it.
  const takesCard = hasCard && base.cardStatus === 'NONE';
  return {
    retired,
    successor: {
      ...base,
      ...(takesCard
        ? {
            cardGroup: before.cardGroup,
            cardValidFrom: before.cardValidFrom,
            cardValidUntil: before.cardValidUntil,
            cardStatus: before.cardStatus,
          }
        : {}),
      previousIds: [...new Set([...base.previousIds, before.personalId, ...before.previousIds])],
    },
  };
}
