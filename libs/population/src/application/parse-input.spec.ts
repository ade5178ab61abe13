import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorCode, ValidationError } from '@bus/platform';
import { parseInput } from './parse-input';

describe('parseInput', () => {
  const schema = z.strictObject({ name: z.string().min(1), age: z.number().int() });

  it('returns the parsed value', () => {
    expect(parseInput(schema, { name: 'An', age: 3 })).toEqual({ name: 'An', age: 3 });
  });

  it('rejects with REQUEST_INVALID listing every bad field', () => {
    let thrown: unknown;
    try {
      parseInput(schema, { name: '', age: 1.5 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(thrown).toMatchObject({ code: ErrorCode.REQUEST_INVALID, retriable: false });
    expect((thrown as ValidationError).fields.map((f) => f.path)).toEqual(['name', 'age']);
  });
});
