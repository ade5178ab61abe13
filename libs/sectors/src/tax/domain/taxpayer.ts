import type { ShareEvent } from '../../shared/share-event';

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

/** Dependants come from a child's parent links: each parent may claim the child. */
export function parentsOf(e: ShareEvent): string[] {
  return [e.fatherId, e.motherId].filter((id): id is string => typeof id === 'string');
}
