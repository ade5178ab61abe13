export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed so retries
 * never hammer a recovering database, half is random so instances spread out.
 */
export function backoffDelay(
  attempt: number,
  { initialMs, maxMs }: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(maxMs, initialMs * 2 ** exponent);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
