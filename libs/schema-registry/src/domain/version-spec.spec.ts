import { describe, expect, it } from 'vitest';
import { parseCompatibilityLevel, ruleOf } from './compatibility-level';
import { InvalidCompatibilityLevelError, InvalidVersionError } from './registry.errors';
import { parseVersion } from './version-spec';

describe('parseVersion', () => {
  it('accepts numbers in range, latest and -1', () => {
    expect(parseVersion('1')).toEqual({ kind: 'number', value: 1 });
    expect(parseVersion('2147483647')).toEqual({ kind: 'number', value: 2147483647 });
    expect(parseVersion('latest')).toEqual({ kind: 'latest' });
    expect(parseVersion('-1')).toEqual({ kind: 'latest' });
  });
  it.each(['0', 'abc', '1.5', '2147483648', '-2', '', ' 1'])('rejects %j', (raw) => {
    expect(() => parseVersion(raw)).toThrow(InvalidVersionError);
  });
});

describe('compatibility levels', () => {
  it('parses case-insensitively and rejects unknown names', () => {
    expect(parseCompatibilityLevel('full_transitive')).toBe('FULL_TRANSITIVE');
    expect(() => parseCompatibilityLevel('SIDEWAYS')).toThrow(InvalidCompatibilityLevelError);
    expect(() => parseCompatibilityLevel(undefined)).toThrow(InvalidCompatibilityLevelError);
  });
  it('knows the direction of each level', () => {
    expect(ruleOf('BACKWARD')).toEqual({
      newReadsOld: true,
      oldReadsNew: false,
      transitive: false,
    });
    expect(ruleOf('FORWARD_TRANSITIVE')).toEqual({
      newReadsOld: false,
      oldReadsNew: true,
      transitive: true,
    });
    expect(ruleOf('FULL')).toEqual({ newReadsOld: true, oldReadsNew: true, transitive: false });
    expect(ruleOf('NONE')).toEqual({ newReadsOld: false, oldReadsNew: false, transitive: false });
  });
});
