import { ConflictError, NotFoundError, ValidationError } from '@bus/platform';

/** Stable error codes of the population service; clients may switch on them. */
export const PopulationErrorCode = {
  CitizenNotFound: 'CITIZEN_NOT_FOUND',
  CitizenDeceased: 'CITIZEN_DECEASED',
  CitizenInactive: 'CITIZEN_INACTIVE',
  AlreadyMarried: 'CITIZEN_ALREADY_MARRIED',
  NotMarried: 'CITIZEN_NOT_MARRIED',
  NotSpouses: 'CITIZENS_NOT_SPOUSES',
  SameCitizen: 'SAME_CITIZEN',
  VersionConflict: 'VERSION_CONFLICT',
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  InvalidDate: 'INVALID_DATE',
  ParentInvalid: 'PARENT_INVALID',
  AlreadyExists: 'CITIZEN_ALREADY_EXISTS',
  NoChange: 'NO_CHANGE',
  CorrectionNeedsReissue: 'CORRECTION_NEEDS_REISSUE',
} as const;

export function citizenNotFound(personalId: string): NotFoundError {
  return new NotFoundError(PopulationErrorCode.CitizenNotFound, 'No citizen has this personal ID', {
    details: { personalId },
  });
}

export function versionConflict(
  personalId: string,
  expected: number,
  actual: number,
): ConflictError {
  return new ConflictError(
    PopulationErrorCode.VersionConflict,
    `The citizen is at version ${actual}, not the expected ${expected}: reload and retry`,
    { details: { personalId, expectedVersion: expected, actualVersion: actual } },
  );
}

export function conflict(code: string, message: string, personalId?: string): ConflictError {
  return new ConflictError(code, message, personalId ? { details: { personalId } } : {});
}

/** A rule about a single input field that only the stored record can check (e.g. death before birth). */
export function invalidField(path: string, code: string, message: string): ValidationError {
  return new ValidationError(code, message, { fields: [{ path, message, code }] });
}
