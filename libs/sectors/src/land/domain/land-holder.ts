import type { ShareEvent } from '../../shared/share-event';

/** A land-use right holder: identity, address for notices, spouse; no parents (withheld). */
export interface LandHolder {
  readonly personalId: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly addressLine: string | null;
  readonly provinceCode: string | null;
  readonly communeCode: string | null;
  readonly idCardNumber: string | null;
  readonly maritalStatus: string | null;
  readonly spouseId: string | null;
  readonly status: string;
  readonly dateOfDeath: string | null;
  readonly successorId: string | null;
}

export function evolveHolder(current: LandHolder | null, e: ShareEvent): LandHolder {
  return {
    personalId: e.personalId,
    fullName: e.fullName ?? current?.fullName ?? '',
    dateOfBirth: e.dateOfBirth ?? current?.dateOfBirth ?? '',
    addressLine: e.permanentResidence?.addressLine ?? current?.addressLine ?? null,
    provinceCode: e.permanentResidence?.provinceCode ?? current?.provinceCode ?? null,
    communeCode: e.permanentResidence?.communeCode ?? current?.communeCode ?? null,
    idCardNumber: e.idCardNumber ?? current?.idCardNumber ?? null,
    maritalStatus: e.maritalStatus ?? current?.maritalStatus ?? null,
    spouseId: e.maritalStatus !== undefined ? (e.spouseId ?? null) : (current?.spouseId ?? null),
    status: e.status ?? current?.status ?? 'ALIVE',
    dateOfDeath: e.dateOfDeath ?? current?.dateOfDeath ?? null,
    successorId: e.successorId ?? current?.successorId ?? null,
  };
}

export interface SpouseLinkChange {
  /** The co-ownership reference to end (divorce, widowhood, remarriage). */
  readonly close: string | null;
  /** The co-ownership reference to open (marriage). */
  readonly open: string | null;
}

/** Spouses are co-owners of common property (Law on Marriage and Family, art. 33-34). */
export function spouseLinkChange(before: LandHolder | null, after: LandHolder): SpouseLinkChange {
  const was = before?.spouseId ?? null;
  const now = after.maritalStatus === 'MARRIED' ? after.spouseId : null;
  if (was === now) return { close: null, open: null };
  return { close: was, open: now };
}

/** A death leaves the holdings to the heirs: registration must wait for the inheritance. */
export const INHERITANCE_PENDING = 'INHERITANCE_PENDING';
