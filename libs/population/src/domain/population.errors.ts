import { ConflictError, ErrorCode, NotFoundError, ValidationError } from '@bus/platform/pure';

export function citizenNotFound(personalId: string): NotFoundError {
  return new NotFoundError(ErrorCode.CITIZEN_NOT_FOUND, 'No citizen has this personal ID', {
    details: { personalId },
  });
}

export function versionConflict(
  personalId: string,
  expected: number,
  actual: number,
): ConflictError {
  return new ConflictError(
    ErrorCode.VERSION_CONFLICT,
    `The citizen is at version ${actual}, not the expected ${expected}: reload and retry`,
    { details: { personalId, expectedVersion: expected, actualVersion: actual } },
  );
}

export function conflict(code: ErrorCode, message: string, personalId?: string): ConflictError {
  return new ConflictError(code, message, personalId ? { details: { personalId } } : {});
}

/** A rule about a single input field that only the stored record can check (e.g. death before birth). */
export function invalidField(path: string, code: ErrorCode, message: string): ValidationError {
  return new ValidationError(code, message, { fields: [{ path, message, code }] });
}
