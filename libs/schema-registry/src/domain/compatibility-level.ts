import { InvalidCompatibilityLevelError } from './registry.errors';

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export const DEFAULT_COMPATIBILITY_LEVEL: CompatibilityLevel = 'BACKWARD';

export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(value);
}

/** Confluent upper-cases the name before matching, so `full` is accepted. */
export function parseCompatibilityLevel(value: unknown): CompatibilityLevel {
  const upper = typeof value === 'string' ? value.toUpperCase() : value;
  if (!isCompatibilityLevel(upper)) throw new InvalidCompatibilityLevelError(value);
  return upper;
}

export interface LevelRule {
  /** The new schema must read data written with the old ones. */
  readonly newReadsOld: boolean;
  /** The old schemas must read data written with the new one. */
  readonly oldReadsNew: boolean;
  /** Against every live version, not only the latest. */
  readonly transitive: boolean;
}

export function ruleOf(level: CompatibilityLevel): LevelRule {
  return {
    newReadsOld: level.startsWith('BACKWARD') || level.startsWith('FULL'),
    oldReadsNew: level.startsWith('FORWARD') || level.startsWith('FULL'),
    transitive: level.endsWith('_TRANSITIVE'),
  };
}
