/**
 * Burrow's statuses, in Burrow's own severity order (its StatusConstant values):
 * a group reads as its worst partition.
 */
export const LAG_STATUSES = ['OK', 'WARN', 'ERR', 'STOP', 'STALL', 'REWIND'] as const;
export type LagStatus = (typeof LAG_STATUSES)[number];

export function severityOf(status: LagStatus): number {
  return LAG_STATUSES.indexOf(status);
}

export function worstStatus(statuses: Iterable<LagStatus>): LagStatus {
  let worst: LagStatus = 'OK';
  for (const status of statuses) if (severityOf(status) > severityOf(worst)) worst = status;
  return worst;
}

/** One poll of one partition: where the group is, where the log ends, and when we looked. */
export interface OffsetSample {
  readonly at: number;
  /** Next offset the group will read; null while the group has never committed here. */
  readonly committed: number | null;
  readonly end: number;
  readonly lag: number;
}

export interface PartitionEvaluation {
  readonly status: LagStatus;
  /** Why, in words an operator can act on. */
  readonly reason: string;
}

export interface EvaluationContext {
  readonly now: number;
  /** When the committed offset last changed value (our stand-in for a commit time). */
  readonly lastMovedAt: number;
  /** Whether the group has live members; Kafka's OffsetFetch carries no commit time. */
  readonly hasMembers: boolean;
}

/**
 * Burrow's partition rules over the sliding window, in Burrow's order. Kafka does not
 * return commit timestamps, so "time since the last commit" is the time since the
 * committed offset last moved, and STOP (nobody consuming) is told apart from STALL (a
 * consumer is there but stuck) by whether the group still has members.
 */
export function evaluatePartition(
  window: readonly OffsetSample[],
  context: EvaluationContext,
): PartitionEvaluation {
  const latest = window.at(-1);
  const first = window[0];
  if (!latest || !first) return { status: 'OK', reason: 'no samples yet' };
  if (latest.lag === 0) return { status: 'OK', reason: 'no lag' };

  const span = latest.at - first.at;
  const idleFor = context.now - context.lastMovedAt;
  const enough = window.length >= 2;
  if (enough && !context.hasMembers && idleFor > span) {
    return {
      status: 'STOP',
      reason: `no consumer and no progress for ${Math.round(idleFor / 1000)} s while lag is ${latest.lag}`,
    };
  }
  if (window.some((s) => s.lag === 0)) return { status: 'OK', reason: 'lag was 0 in the window' };

  const committed = window.map((s) => s.committed);
  for (let i = 1; i < committed.length; i++) {
    const before = committed[i - 1];
    const after = committed[i];
    if (before != null && after != null && after < before) {
      return { status: 'REWIND', reason: `committed offset went back from ${before} to ${after}` };
    }
  }
  if (enough && committed.every((c) => c === committed[0])) {
    return {
      status: context.hasMembers ? 'STALL' : 'STOP',
      reason: `committed offset stuck at ${committed[0] ?? 'none'} while lag is ${latest.lag}`,
    };
  }
  if (enough && lagNeverDecreases(window)) {
    return {
      status: 'WARN',
      reason: `offsets move but lag keeps growing (${first.lag} -> ${latest.lag})`,
    };
  }
  return { status: 'OK', reason: 'consuming' };
}

function lagNeverDecreases(window: readonly OffsetSample[]): boolean {
  let grew = false;
  for (let i = 1; i < window.length; i++) {
    const before = (window[i - 1] as OffsetSample).lag;
    const after = (window[i] as OffsetSample).lag;
    if (after < before) return false;
    if (after > before) grew = true;
  }
  return grew;
}
