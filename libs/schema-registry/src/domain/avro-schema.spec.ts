import { describe, expect, it } from 'vitest';
import { parseAvroSchema } from './avro-schema';
import { InvalidSchemaError } from './registry.errors';

describe('parseAvroSchema', () => {
  it('gives equal fingerprints to the same schema written differently', () => {
    const a = parseAvroSchema('{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}');
    const b = parseAvroSchema(
      '{ "fields": [ {"type": {"type": "int"}, "name": "a"} ],\n "type": "record", "name": "R" }',
    );
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(a.canonicalForm).toBe(
      '{"name":"R","type":"record","fields":[{"name":"a","type":"int"}]}',
    );
  });

  it.each([
    ['not JSON', '{"type":', /not JSON/],
    ['an unknown type', '{"type":"foo"}', /unknown type/],
    ['a number', '42', /primitive type name/],
    ['a record without a name', '{"type":"record","fields":[]}', /missing name/],
    ['a record without fields', '{"type":"record","name":"R"}', /fields/],
    ['an invalid name', '{"type":"record","name":"a-b","fields":[]}', /invalid name/],
    [
      'a default of the wrong type',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}',
      /default/,
    ],
    ['an undefined reference', '"Missing"', /undefined type name/],
    [
      'duplicate fields',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}',
      /duplicate/,
    ],
  ])('rejects %s with a reason', (_, text, reason) => {
    let caught: unknown;
    try {
      parseAvroSchema(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidSchemaError);
    expect((caught as Error).message).toMatch(reason);
  });

  it('rejects a missing or empty schema field', () => {
    expect(() => parseAvroSchema(undefined)).toThrow(InvalidSchemaError);
    expect(() => parseAvroSchema('  ')).toThrow(/non-empty string/);
    expect(() => parseAvroSchema({ type: 'int' })).toThrow(/non-empty string/);
  });
});
