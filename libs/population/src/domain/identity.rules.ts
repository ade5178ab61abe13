import { ErrorCode } from '@bus/platform/pure';
import type { Citizen, CitizenChange, CitizenState, Gender } from './citizen';
import { bump, requireActive } from './citizen-lifecycle.rules';
import { conflict, invalidField } from './population.errors';

/**
 * The children's records name the parent by number: a merged or cancelled number is
 * replaced by the successor in `fatherId`/`motherId` (one correction per child).
 * Retired children's records (merged, cancelled) stay as they were.
 */
export function repointChildren(
  children: readonly Citizen[],
  oldId: string,
  newId: string,
  on: string,
): CitizenChange[] {
  return children
    .filter((child) => child.status === 'ACTIVE' || child.status === 'DECEASED')
    .filter((child) => child.fatherId === oldId || child.motherId === oldId)
    .map((child) =>
      bump(
        child,
        {
          fatherId: child.fatherId === oldId ? newId : child.fatherId,
          motherId: child.motherId === oldId ? newId : child.motherId,
        },
        'RECORD_CORRECTED',
        on,
      ),
    );
}

/** The people linked to a record by number, whose links follow it to a new number. */
export interface LinkedRecords {
  /** The spouse named by the record being retired, if any. */
  readonly spouse: Citizen | null;
  /** Records naming the retired number as father or mother. */
  readonly children: readonly Citizen[];
}

const NO_LINKS: LinkedRecords = { spouse: null, children: [] };

/**
 * The survivor takes over the retired record's marriage: both records are one person, so
 * they cannot be married to two different people.
 */
function mergeMarriage(survivor: Citizen, retired: Citizen): Partial<CitizenState> {
  if (retired.spouseId === null || retired.spouseId === survivor.spouseId) return {};
  if (survivor.spouseId !== null) {
    throw conflict(
      ErrorCode.MERGE_SPOUSE_CONFLICT,
      'The two records are married to different people: resolve the marriages first',
      retired.personalId,
    );
  }
  return { maritalStatus: retired.maritalStatus, spouseId: retired.spouseId };
}

/**
 * Merges a duplicate: the retired record points at the survivor, which lists the
 * retired number. Both records keep their history; neither number is ever reused. Only
 * living records merge (a death is registered on the surviving record). The spouse's
 * and the children's links move to the survivor in the same transaction.
 */
export function mergeDuplicate(
  survivor: Citizen,
  retired: Citizen,
  on: string,
  linked: LinkedRecords = NO_LINKS,
): CitizenChange[] {
  if (survivor.personalId === retired.personalId) {
    throw invalidField(
      'retiredId',
      ErrorCode.SAME_CITIZEN,
      'A record cannot be merged into itself',
    );
  }
  requireActive(survivor);
  requireActive(retired);
  if (survivor.dateOfBirth !== retired.dateOfBirth || survivor.gender !== retired.gender) {
    throw conflict(
      ErrorCode.NOT_DUPLICATES,
      'The records differ in date of birth or gender: they are not the same person',
      retired.personalId,
    );
  }
  const changes = [
    bump(retired, { status: 'MERGED', replacedBy: survivor.personalId }, 'RECORD_RETIRED', on),
    bump(
      survivor,
      {
        ...mergeMarriage(survivor, retired),
        previousPersonalIds: [
          ...survivor.previousPersonalIds,
          retired.personalId,
          ...retired.previousPersonalIds,
        ],
      },
      'RECORD_MERGED',
      on,
    ),
  ];
  const { spouse } = linked;
  if (spouse !== null && spouse.spouseId === retired.personalId) {
    changes.push(bump(spouse, { spouseId: survivor.personalId }, 'RECORD_CORRECTED', on));
  }
  changes.push(...repointChildren(linked.children, retired.personalId, survivor.personalId, on));
  return changes;
}

export type ReissueCorrections = Partial<
  Pick<CitizenState, 'gender' | 'dateOfBirth' | 'birthRegistrationCommuneCode'>
>;

/** The facts a personal ID number encodes (Decree 137/2015/NĐ-CP art. 13). */
export interface IdDigits {
  readonly provincePrefix: string;
  readonly birthYear: number;
  readonly gender: Gender;
}

/**
 * A number is reissued only when a corrected fact changes its digits; otherwise the valid
 * number would be cancelled for nothing, and the fix is a correction of the record.
 */
export function requireReissueNeeded(current: IdDigits, corrected: IdDigits, id: string): void {
  if (
    current.provincePrefix !== corrected.provincePrefix ||
    current.birthYear !== corrected.birthYear ||
    current.gender !== corrected.gender
  ) {
    return;
  }
  throw conflict(
    ErrorCode.REISSUE_NOT_NEEDED,
    'The corrections do not change the personal ID number: correct the record instead',
    id,
  );
}

/**
 * Cancels a personal ID number and creates the record under its new number (version 1
 * of the new key). The spouse's and the children's records are repointed in the same
 * transaction.
 */
export function reissuePersonalId(
  old: Citizen,
  newPersonalId: string,
  corrections: ReissueCorrections,
  on: string,
  linked: LinkedRecords = NO_LINKS,
): CitizenChange[] {
  requireActive(old);
  const created: Citizen = {
    ...old,
    ...Object.fromEntries(Object.entries(corrections).filter(([, v]) => v !== undefined)),
    personalId: newPersonalId,
    version: 1,
    identityCard: null,
    replacedBy: null,
    previousPersonalIds: [...old.previousPersonalIds, old.personalId],
  };
  const changes: CitizenChange[] = [
    bump(old, { status: 'CANCELLED', replacedBy: newPersonalId }, 'PERSONAL_ID_CANCELLED', on),
    { changeType: 'PERSONAL_ID_REISSUED', before: null, after: created, effectiveOn: on },
  ];
  const { spouse } = linked;
  if (spouse !== null && spouse.spouseId === old.personalId) {
    changes.push(bump(spouse, { spouseId: newPersonalId }, 'RECORD_CORRECTED', on));
  }
  changes.push(...repointChildren(linked.children, old.personalId, newPersonalId, on));
  return changes;
}
