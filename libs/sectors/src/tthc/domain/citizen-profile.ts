import type { Address } from '@bus/contracts';
import { retireInto, type Retirement, type RetirementEvent } from '../../shared/record-links';
import type { ShareEvent } from '../../shared/share-event';

/** What a provincial procedure form is pre-filled with. */
export interface CitizenProfile {
  readonly personalId: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly gender: string;
  readonly permanentResidence: Address | null;
  readonly temporaryResidence: Address | null;
  readonly maritalStatus: string | null;
  readonly spouseId: string | null;
  readonly idCardNumber: string | null;
  readonly electronicIdLevel: number | null;
  readonly status: string;
  readonly dateOfDeath: string | null;
  readonly successorId: string | null;
}

const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);

export function evolveProfile(current: CitizenProfile | null, e: ShareEvent): CitizenProfile {
  return {
    personalId: e.personalId,
    fullName: pick(e.fullName, current?.fullName ?? ''),
    dateOfBirth: pick(e.dateOfBirth, current?.dateOfBirth ?? ''),
    gender: pick(e.gender, current?.gender ?? ''),
    permanentResidence: pick(e.permanentResidence, current?.permanentResidence ?? null),
    temporaryResidence: pick(e.temporaryResidence, current?.temporaryResidence ?? null),
    maritalStatus: pick(e.maritalStatus, current?.maritalStatus ?? null),
    spouseId: pick(e.spouseId, current?.spouseId ?? null),
    idCardNumber: pick(e.idCardNumber, current?.idCardNumber ?? null),
    electronicIdLevel: pick(e.electronicIdLevel, current?.electronicIdLevel ?? null),
    status: pick(e.status, current?.status ?? 'ALIVE'),
    dateOfDeath: pick(e.dateOfDeath, current?.dateOfDeath ?? null),
    successorId: pick(e.successorId, current?.successorId ?? null),
  };
}

/**
 * RECORDS_MERGED or ID_NUMBER_REISSUED on the retired number: the retired profile points at
 * the successor, whose own data is never overwritten (see shared/record-links.ts); pending
 * applications move to the successor in the infrastructure.
 */
export function retireProfile(
  current: CitizenProfile | null,
  successor: CitizenProfile | null,
  e: RetirementEvent,
): Retirement<CitizenProfile> {
  return retireInto(
    { ...evolveProfile(current, e), successorId: e.successorId },
    successor,
    (r) => ({ ...r, personalId: e.successorId, successorId: null }),
  );
}

/** A pending application of a citizen who has died cannot proceed as filed. */
export const APPLICANT_DECEASED = 'APPLICANT_DECEASED';
