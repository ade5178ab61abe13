import { ageInYearsOn } from '@bus/contracts/pure';
import { retireInto, type Retirement, type RetirementEvent } from '../../shared/record-links';
import { eventDay, type ShareEvent } from '../../shared/share-event';

/**
 * A personal taxpayer. Since 1 July 2025 the personal ID number is the tax code
 * (Circular 86/2024/TT-BTC), so the ID is the key. No ID-card data: withheld from tax.
 */
export interface Taxpayer {
  readonly taxCode: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly provinceCode: string | null;
  readonly managingAuthority: string | null;
  readonly status: 'ACTIVE' | 'CLOSED';
  readonly closedOn: string | null;
  readonly successorTaxCode: string | null;
}

/** One provincial tax office per province after the 2025 reform: `THUE-<province code>`. */
export const managingAuthorityFor = (provinceCode: string | null): string | null =>
  provinceCode === null ? null : `THUE-${provinceCode}`;

export function evolveTaxpayer(current: Taxpayer | null, e: ShareEvent): Taxpayer {
  const provinceCode = e.permanentResidence?.provinceCode ?? current?.provinceCode ?? null;
  const dead = e.eventType === 'DEATH_REGISTERED' || e.status === 'DECEASED';
  return {
    taxCode: e.personalId,
    fullName: e.fullName ?? current?.fullName ?? '',
    dateOfBirth: e.dateOfBirth ?? current?.dateOfBirth ?? '',
    provinceCode,
    managingAuthority: managingAuthorityFor(provinceCode),
    status: dead ? 'CLOSED' : (current?.status ?? 'ACTIVE'),
    closedOn: dead ? (e.dateOfDeath ?? current?.closedOn ?? null) : (current?.closedOn ?? null),
    successorTaxCode: e.successorId ?? current?.successorTaxCode ?? null,
  };
}

/**
 * RECORDS_MERGED or ID_NUMBER_REISSUED on the retired number: the retired file is closed
 * and points at the successor, whose own data is never overwritten (see
 * shared/record-links.ts); the tax file continues under the successor's number.
 */
export function retireTaxpayer(
  current: Taxpayer | null,
  successor: Taxpayer | null,
  e: RetirementEvent,
): Retirement<Taxpayer> {
  const before = evolveTaxpayer(current, e);
  return retireInto(
    { ...before, status: 'CLOSED', successorTaxCode: e.successorId },
    successor,
    () => ({ ...before, taxCode: e.successorId, successorTaxCode: null }),
  );
}

/**
 * A child counts as a dependant for the family deduction while under 18 (Law on Personal
 * Income Tax 04/2007/QH12 art. 19, as amended; Circular 111/2013/TT-BTC art. 9(1)(đ)(d.1):
 * "con dưới 18 tuổi, tính đủ theo tháng"). Children of 18 and over qualify only when
 * disabled or in education, which the bus does not know: the taxpayer declares those.
 */
export const CHILD_DEPENDANT_AGE_LIMIT = 18;

/** The parents who may claim the child as a dependant on the event's day: none once 18 or dead. */
export function parentsOf(e: ShareEvent): string[] {
  if (e.status === 'DECEASED' || e.eventType === 'DEATH_REGISTERED') return [];
  if (typeof e.dateOfBirth !== 'string') return [];
  const age = ageInYearsOn(e.dateOfBirth, eventDay(e));
  if (!(age < CHILD_DEPENDANT_AGE_LIMIT)) return [];
  return [e.fatherId, e.motherId].filter((id): id is string => typeof id === 'string');
}

/**
 * What the child's CHILD dependant rows must be after `e`: exactly these parents. Rows of
 * other taxpayers (a corrected parent link, the child turned 18 or died) are removed.
 */
export interface ChildDependants {
  readonly child: string;
  readonly parents: readonly string[];
}

export const childDependants = (e: ShareEvent): ChildDependants => ({
  child: e.personalId,
  parents: parentsOf(e),
});
