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
  if (e.eventType === 'DEATH_REGISTERED') {
    const dateOfDeath = e.dateOfDeath ?? isoDay(e.occurredAt);
    return endCardAtDeath({ ...next, status: 'DECEASED', dateOfDeath }, dateOfDeath);
  }
  return { ...next, cardStatus: cardStatusOn(next, eventDay(e)) };
}

/**
 * RECORDS_MERGED on the retired number: its card moves to the successor (which keeps
 * its own card if it has an active one); the retired record points at the successor.
 */
export function mergeInsured(
  retired: InsuredPerson,
  successor: InsuredPerson | null,
  successorId: string,
): { retired: InsuredPerson; successor: InsuredPerson } {
  const keepsOwnCard = successor?.cardStatus === 'ACTIVE';
  const base = successor ?? { ...retired, personalId: successorId, previousIds: [] };
  return {
    retired: {
      ...retired,
      successorId,
      cardStatus: retired.cardStatus === 'NONE' ? 'NONE' : 'MOVED',
    },
    successor: {
      ...base,
      personalId: successorId,
      cardGroup: keepsOwnCard ? base.cardGroup : retired.cardGroup,
      cardValidFrom: keepsOwnCard ? base.cardValidFrom : retired.cardValidFrom,
      cardValidUntil: keepsOwnCard ? base.cardValidUntil : retired.cardValidUntil,
      cardStatus: keepsOwnCard ? base.cardStatus : retired.cardStatus,
      previousIds: [...new Set([...base.previousIds, retired.personalId])],
    },
  };
}

/** ID_NUMBER_REISSUED: the same person under the new number, the old one remembered. */
export function reissueInsured(current: InsuredPerson, newId: string): InsuredPerson {
  return {
    ...current,
    personalId: newId,
    successorId: null,
    previousIds: [...new Set([...current.previousIds, current.personalId])],
  };
}
