import { retireInto, type Retirement, type RetirementEvent } from '../../shared/record-links';
import { eventDay, isoDay, type ShareEvent } from '../../shared/share-event';

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
  /**
   * The same marriage under the spouse's new number (the spouse's ID was reissued or
   * merged): the open reference is repointed, keeping its start date.
   */
  readonly repoint: { readonly from: string; readonly to: string } | null;
}

const NO_LINK_CHANGE: SpouseLinkChange = { close: null, open: null, repoint: null };

/**
 * Spouses are co-owners of common property (Law on Marriage and Family, art. 33-34). A
 * spouse number that changes while the marital status stays MARRIED, outside a marital
 * event, is the same marriage under the spouse's successor number, not a new one.
 */
export function spouseLinkChange(
  before: LandHolder | null,
  after: LandHolder,
  eventType?: ShareEvent['eventType'],
): SpouseLinkChange {
  const was = before?.spouseId ?? null;
  const now = after.maritalStatus === 'MARRIED' ? after.spouseId : null;
  if (was === now) return NO_LINK_CHANGE;
  const sameMarriage =
    eventType !== 'MARITAL_STATUS_CHANGED' &&
    before?.maritalStatus === 'MARRIED' &&
    was !== null &&
    now !== null;
  if (sameMarriage) return { close: null, open: null, repoint: { from: was, to: now } };
  return { close: was, open: now, repoint: null };
}

/**
 * RECORDS_MERGED or ID_NUMBER_REISSUED on the retired number: the retired holder points at
 * the successor, whose own data is never overwritten (see shared/record-links.ts). The
 * holdings and co-ownership references move in the infrastructure.
 */
export function retireHolder(
  current: LandHolder | null,
  successor: LandHolder | null,
  e: RetirementEvent,
): Retirement<LandHolder> {
  return retireInto(
    { ...evolveHolder(current, e), successorId: e.successorId },
    successor,
    (r) => ({
      ...r,
      personalId: e.successorId,
      successorId: null,
    }),
  );
}

/**
 * The date a co-ownership reference opens or closes: the event's civil date, except for
 * an initial load, whose occurredAt is the date of birth; the marriage date is not on the
 * bus, so the reference is known from the day the record was loaded.
 */
export const linkDay = (e: ShareEvent): string =>
  e.eventKind === 'INITIAL_LOAD' ? eventDay(e) : isoDay(e.occurredAt);

/** A death leaves the holdings to the heirs: registration must wait for the inheritance. */
export const INHERITANCE_PENDING = 'INHERITANCE_PENDING';
