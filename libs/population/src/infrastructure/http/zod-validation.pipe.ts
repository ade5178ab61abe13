import type { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { parseInput } from '../../application/parse-input';

/** Nest pipe over a zod schema: field-level 400s in the bus's error shape (nestjs-zod has no Nest 12 support). */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    return parseInput(this.schema, value);
  }
}

/** An OpenAPI schema object for a command's input, generated from the same zod schema. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  const { $schema: _ignored, ...rest } = json;
  return rest;
}
