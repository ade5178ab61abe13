import { fullDate, isoDay, type ShareEvent } from '../../shared/share-event';

export type CardStatus = 'NONE' | 'ACTIVE' | 'ENDED' | 'MOVED';

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

/** The day before the 6th birthday; a 29 February birthday falls on 1 March in a common year. */
export function underSixCardValidUntil(dateOfBirth: string): string {
  const [y, m, d] = fullDate(dateOfBirth).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + 6, m - 1, d) - 86_400_000).toISOString().slice(0, 10);
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
    return {
      ...next,
      cardGroup: UNDER_SIX_GROUP,
      cardValidFrom: fullDate(next.dateOfBirth),
      cardValidUntil: underSixCardValidUntil(next.dateOfBirth),
      cardStatus: 'ACTIVE',
    };
  }
  if (e.eventType === 'DEATH_REGISTERED') {
    const dateOfDeath = e.dateOfDeath ?? isoDay(e.occurredAt);
    return {
      ...next,
      status: 'DECEASED',
      dateOfDeath,
      cardValidUntil: next.cardStatus === 'NONE' ? next.cardValidUntil : dateOfDeath,
      cardStatus: next.cardStatus === 'NONE' ? 'NONE' : 'ENDED',
    };
  }
  return next;
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
