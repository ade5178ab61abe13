import type { CompatibilityLevel } from './compatibility-level';

/*
 * The textbook schema-evolution cases, each as (old, new) and whether each
 * direction of reading works. Shared by the unit specs and the conformance suite
 * so both assert the same expectations.
 */
export interface TextbookCase {
  readonly name: string;
  readonly old: unknown;
  readonly new: unknown;
  /** The new schema reads data written with the old one (BACKWARD). */
  readonly newReadsOld: boolean;
  /** The old schema reads data written with the new one (FORWARD). */
  readonly oldReadsNew: boolean;
}

const record = (fields: unknown[], name = 'Citizen') => ({
  type: 'record',
  name,
  namespace: 'vn.gov.population.test',
  fields,
});
const id = { name: 'personalId', type: 'string' };
const status = (symbols: string[], extra: Record<string, unknown> = {}) => ({
  name: 'status',
  type: { type: 'enum', name: 'Status', symbols, ...extra },
});

export const TEXTBOOK_CASES: readonly TextbookCase[] = [
  {
    name: 'field added with a default',
    old: record([id]),
    new: record([id, { name: 'province', type: 'string', default: '01' }]),
    newReadsOld: true,
    oldReadsNew: true,
  },
  {
    name: 'field added without a default',
    old: record([id]),
    new: record([id, { name: 'province', type: 'string' }]),
    newReadsOld: false,
    oldReadsNew: true,
  },
  {
    name: 'field removed that had a default',
    old: record([id, { name: 'province', type: 'string', default: '01' }]),
    new: record([id]),
    newReadsOld: true,
    oldReadsNew: true,
  },
  {
    name: 'field removed that had no default',
    old: record([id, { name: 'province', type: 'string' }]),
    new: record([id]),
    newReadsOld: true,
    oldReadsNew: false,
  },
  {
    name: 'type changed with promotion (int to long)',
    old: record([id, { name: 'birthYear', type: 'int' }]),
    new: record([id, { name: 'birthYear', type: 'long' }]),
    newReadsOld: true,
    oldReadsNew: false,
  },
  {
    name: 'type changed without promotion (int to string)',
    old: record([id, { name: 'birthYear', type: 'int' }]),
    new: record([id, { name: 'birthYear', type: 'string' }]),
    newReadsOld: false,
    oldReadsNew: false,
  },
  {
    name: 'field renamed with an alias',
    old: record([id, { name: 'fullName', type: 'string' }]),
    new: record([id, { name: 'name', type: 'string', aliases: ['fullName'] }]),
    newReadsOld: true,
    oldReadsNew: false,
  },
  {
    name: 'field renamed without an alias',
    old: record([id, { name: 'fullName', type: 'string' }]),
    new: record([id, { name: 'name', type: 'string' }]),
    newReadsOld: false,
    oldReadsNew: false,
  },
  {
    name: 'enum symbol added',
    old: record([id, status(['ALIVE', 'DECEASED'])]),
    new: record([id, status(['ALIVE', 'DECEASED', 'MISSING'])]),
    newReadsOld: true,
    oldReadsNew: false,
  },
  {
    name: 'enum symbol removed',
    old: record([id, status(['ALIVE', 'DECEASED', 'MISSING'])]),
    new: record([id, status(['ALIVE', 'DECEASED'])]),
    newReadsOld: false,
    oldReadsNew: true,
  },
  {
    name: 'enum symbol removed, the new enum has a default',
    old: record([id, status(['UNKNOWN', 'ALIVE', 'DECEASED', 'MISSING'])]),
    new: record([id, status(['UNKNOWN', 'ALIVE', 'DECEASED'], { default: 'UNKNOWN' })]),
    newReadsOld: true,
    oldReadsNew: true,
  },
  {
    name: 'union widened',
    old: record([id, { name: 'note', type: ['null', 'string'], default: null }]),
    new: record([id, { name: 'note', type: ['null', 'string', 'int'], default: null }]),
    newReadsOld: true,
    oldReadsNew: false,
  },
  {
    name: 'record moved to another namespace',
    old: record([id]),
    new: { ...record([id]), namespace: 'vn.gov.population.moved' },
    newReadsOld: true,
    oldReadsNew: true,
  },
];

/** Whether a level accepts a case with exactly one previous version. */
export function expectedAccepted(level: CompatibilityLevel, c: TextbookCase): boolean {
  if (level === 'NONE') return true;
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  return (!backward || c.newReadsOld) && (!forward || c.oldReadsNew);
}

/*
 * Three versions where each step passes the non-transitive level but the third
 * fails against the first, so only the transitive level rejects it.
 */
export const TRANSITIVE_CASES: readonly {
  readonly levels: readonly [CompatibilityLevel, CompatibilityLevel];
  readonly versions: readonly [unknown, unknown, unknown];
}[] = [
  {
    levels: ['BACKWARD', 'BACKWARD_TRANSITIVE'],
    versions: [
      record([id]),
      record([id, { name: 'province', type: 'string', default: '01' }]),
      record([id, { name: 'province', type: 'string' }]),
    ],
  },
  {
    levels: ['FORWARD', 'FORWARD_TRANSITIVE'],
    versions: [
      record([id, { name: 'province', type: 'string' }]),
      record([id, { name: 'province', type: 'string', default: '01' }]),
      record([id]),
    ],
  },
  {
    levels: ['FULL', 'FULL_TRANSITIVE'],
    versions: [
      record([id, { name: 'province', type: 'string' }]),
      record([id, { name: 'province', type: 'string', default: '01' }]),
      record([id]),
    ],
  },
];
