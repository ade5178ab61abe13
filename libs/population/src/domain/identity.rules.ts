import { ErrorCode } from '@bus/platform/pure';
import type { Citizen, CitizenChange, CitizenState } from './citizen';
import { bump, requireActive } from './citizen-lifecycle.rules';
import { conflict, invalidField } from './population.errors';

function usable(citizen: Citizen): void {
  if (citizen.status === 'MERGED' || citizen.status === 'CANCELLED') requireActive(citizen);
}

/**
 * Merges a duplicate: the retired record points at the survivor, which lists the
 * retired number. Both records keep their history; neither number is ever reused.
 */
export function mergeDuplicate(survivor: Citizen, retired: Citizen, on: string): CitizenChange[] {
  if (survivor.personalId === retired.personalId) {
    throw invalidField(
      'retiredId',
      ErrorCode.SAME_CITIZEN,
      'A record cannot be merged into itself',
    );
  }
  usable(survivor);
  usable(retired);
  if (survivor.dateOfBirth !== retired.dateOfBirth || survivor.gender !== retired.gender) {
    throw conflict(
      ErrorCode.NOT_DUPLICATES,
      'The records differ in date of birth or gender: they are not the same person',
      retired.personalId,
    );
  }
  return [
    bump(retired, { status: 'MERGED', replacedBy: survivor.personalId }, 'RECORD_RETIRED', on),
    bump(
      survivor,
      {
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
}

export type ReissueCorrections = Partial<
  Pick<CitizenState, 'gender' | 'dateOfBirth' | 'birthRegistrationCommuneCode'>
>;

/**
 * Cancels a personal ID number and creates the record under its new number (version 1
 * of the new key). A spouse's record is repointed in the same transaction.
 */
export function reissuePersonalId(
  old: Citizen,
  newPersonalId: string,
  corrections: ReissueCorrections,
  spouse: Citizen | null,
  on: string,
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
  if (spouse !== null && spouse.spouseId === old.personalId) {
    changes.push(bump(spouse, { spouseId: newPersonalId }, 'RECORD_CORRECTED', on));
  }
  return changes;
}
