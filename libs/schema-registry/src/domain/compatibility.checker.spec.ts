import { describe, expect, it } from 'vitest';
import { parseAvroSchema } from './avro-schema';
import { checkCompatibility, type PreviousVersion } from './compatibility.checker';
import { COMPATIBILITY_LEVELS } from './compatibility-level';
import { expectedAccepted, TEXTBOOK_CASES, TRANSITIVE_CASES } from './textbook-cases.fixture';

const parse = (schema: unknown) => parseAvroSchema(JSON.stringify(schema));
const previous = (...schemas: unknown[]): PreviousVersion[] =>
  schemas.map((schema, i) => ({
    version: i + 1,
    text: JSON.stringify(schema),
    type: parse(schema).type,
  }));

describe('compatibility checks follow Avro schema resolution at every level', () => {
  for (const c of TEXTBOOK_CASES) {
    for (const level of COMPATIBILITY_LEVELS) {
      const accepted = expectedAccepted(level, c);
      it(`${c.name}: ${level} ${accepted ? 'accepts' : 'rejects'}`, () => {
        const result = checkCompatibility(parse(c.new).type, previous(c.old), level);
        expect(result.compatible).toBe(accepted);
        if (!accepted) expect(result.messages.at(-1)).toBe(`{compatibility: '${level}'}`);
      });
    }
  }

  for (const { levels, versions } of TRANSITIVE_CASES) {
    it(`${levels[0]} accepts the third version, ${levels[1]} rejects it against the first`, () => {
      const [v1, v2, v3] = versions;
      expect(checkCompatibility(parse(v2).type, previous(v1), levels[1]).compatible).toBe(true);
      expect(checkCompatibility(parse(v3).type, previous(v1, v2), levels[0]).compatible).toBe(true);
      const transitive = checkCompatibility(parse(v3).type, previous(v1, v2), levels[1]);
      expect(transitive.compatible).toBe(false);
      expect(transitive.messages).toContain('{oldSchemaVersion: 1}');
      expect(transitive.messages).not.toContain('{oldSchemaVersion: 2}');
    });
  }

  it('accepts anything when there is no previous version', () => {
    expect(checkCompatibility(parse('string').type, [], 'FULL_TRANSITIVE').compatible).toBe(true);
  });
});

describe('reasons are readable', () => {
  const reasonsFor = (oldSchema: unknown, newSchema: unknown, level: 'BACKWARD' | 'FORWARD') =>
    checkCompatibility(parse(newSchema).type, previous(oldSchema), level).messages.join('\n');
  const byName = (name: string) => TEXTBOOK_CASES.find((c) => c.name === name)!;

  it('names the field that lacks a default', () => {
    const c = byName('field added without a default');
    const reasons = reasonsFor(c.old, c.new, 'BACKWARD');
    expect(reasons).toContain("errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
    expect(reasons).toContain("field \\'province\\'");
    expect(reasons).toContain('{oldSchemaVersion: 1}');
  });

  it('names the enum symbols the reader lacks', () => {
    const c = byName('enum symbol removed');
    const reasons = reasonsFor(c.old, c.new, 'BACKWARD');
    expect(reasons).toContain("errorType:'MISSING_ENUM_SYMBOLS'");
    expect(reasons).toContain('[MISSING]');
  });

  it('names both types when there is no promotion', () => {
    const c = byName('type changed with promotion (int to long)');
    const reasons = reasonsFor(c.old, c.new, 'FORWARD');
    expect(reasons).toContain("errorType:'TYPE_MISMATCH'");
    expect(reasons).toMatch(/int.*long/);
  });

  it('names the writer branch that the reader union lacks', () => {
    const reasons = reasonsFor(['null', 'string', 'int'], ['null', 'string'], 'BACKWARD');
    expect(reasons).toContain("errorType:'MISSING_UNION_BRANCH'");
    expect(reasons).toContain('int');
  });

  it('reports fixed size and record name mismatches', () => {
    const fixed = (size: number) => ({ type: 'fixed', name: 'Hash', size });
    expect(reasonsFor(fixed(16), fixed(32), 'BACKWARD')).toContain(
      "errorType:'FIXED_SIZE_MISMATCH'",
    );
    const named = (name: string) => ({ type: 'record', name, fields: [] });
    expect(reasonsFor(named('Birth'), named('Death'), 'BACKWARD')).toContain(
      "errorType:'NAME_MISMATCH'",
    );
    const aliased = { type: 'record', name: 'Death', aliases: ['Birth'], fields: [] };
    expect(reasonsFor(named('Birth'), aliased, 'BACKWARD')).toBe('');
  });
});
