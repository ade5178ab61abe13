import { describeError, isBusError } from '../errors/bus-error';
import type { ErrorCode } from '../errors/error-codes';
import { isTransientInfrastructureError } from '../errors/transient-infrastructure';

export type FailureVerdict =
  | { readonly kind: 'transient'; readonly message: string }
  | { readonly kind: 'poison'; readonly reason: string; readonly message: string };

/**
 * The one place where an error becomes "retry the batch later" or "dead-letter
 * this record". Unknown, non-infrastructure errors from a decoder or a rule are
 * poison: retrying a deterministic failure would stall the partition forever.
 */
export function classifyFailure(error: unknown, fallbackReason: ErrorCode): FailureVerdict {
  const message = describeError(error);
  if (isTransientInfrastructureError(error) || isDatabaseUnavailable(error)) {
    return { kind: 'transient', message };
  }
  if (isBusError(error)) return { kind: 'poison', reason: error.code, message };
  return { kind: 'poison', reason: fallbackReason, message };
}

/**
 * `ALTER DATABASE … ALLOW_CONNECTIONS false` (maintenance, a restore) answers new
 * connections with SQLSTATE 55000; that database will come back, so it is transient.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (code === '55000' && /not currently accepting connections/i.test(String(message))) ||
    code === '57P03' // cannot_connect_now: starting up or shutting down
  );
}
