import type { CitizenChanged } from '@bus/contracts';

/**
 * Where a new follow's fill comes from: the citizen's current state as one event in the
 * initial-load form (RECORD_CORRECTED, eventKind INITIAL_LOAD) at its current version, or
 * null for a number the national side does not hold. Throws a TransientError when it cannot
 * answer now (the follow's batch is retried).
 */
export interface CitizenStateSource {
  current(personalId: string): Promise<CitizenChanged | null>;
}
