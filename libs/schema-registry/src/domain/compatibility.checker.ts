import type { AvroType } from './avro-schema';
import { ruleOf, type CompatibilityLevel } from './compatibility-level';
import { resolutionProblem, type Incompatibility } from './schema-resolution';

export interface PreviousVersion {
  readonly version: number;
  readonly text: string;
  readonly type: AvroType;
}

export interface CompatibilityResult {
  readonly compatible: boolean;
  /** Confluent-style reason lines: one block per failing version, then the level. */
  readonly messages: readonly string[];
}

function quote(text: string): string {
  return text.replaceAll("'", "\\'");
}

function format(problem: Incompatibility, direction: string): string {
  return `{errorType:'${problem.type}', description:'${quote(problem.description)}', additionalInfo:'${quote(problem.additionalInfo)}', direction:'${direction}'}`;
}

/** The versions a level compares against (oldest first), so callers parse only those. */
export function versionsToCheck<T>(level: CompatibilityLevel, versions: readonly T[]): T[] {
  if (level === 'NONE') return [];
  return ruleOf(level).transitive ? [...versions] : versions.slice(-1);
}

/**
 * Checks a candidate schema against live versions (oldest first) under a level.
 * Non-transitive levels look at the latest version only; transitive ones at all,
 * newest first, reporting every failing version as Confluent does.
 */
export function checkCompatibility(
  candidate: AvroType,
  previous: readonly PreviousVersion[],
  level: CompatibilityLevel,
): CompatibilityResult {
  if (level === 'NONE' || previous.length === 0) return { compatible: true, messages: [] };
  const rule = ruleOf(level);
  const against = versionsToCheck(level, previous).reverse();
  const messages: string[] = [];
  for (const old of against) {
    const problems: string[] = [];
    if (rule.newReadsOld) {
      const problem = resolutionProblem(candidate, old.type, { reader: 'new', writer: 'old' });
      if (problem)
        problems.push(format(problem, 'new schema reading data written with the old one'));
    }
    if (rule.oldReadsNew) {
      const problem = resolutionProblem(old.type, candidate, { reader: 'old', writer: 'new' });
      if (problem)
        problems.push(format(problem, 'old schema reading data written with the new one'));
    }
    if (problems.length > 0) {
      messages.push(
        ...problems,
        `{oldSchemaVersion: ${old.version}}`,
        `{oldSchema: '${quote(old.text)}'}`,
      );
    }
  }
  if (messages.length === 0) return { compatible: true, messages: [] };
  return { compatible: false, messages: [...messages, `{compatibility: '${level}'}`] };
}
