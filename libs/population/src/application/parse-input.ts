import type { z } from 'zod';
import { ErrorCode, type FieldIssue, ValidationError } from '@bus/platform';

/** Zod issues as the bus's field-level errors; the stable code comes from `params.code` when set. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const params = (issue as { params?: { code?: unknown } }).params;
    const code = typeof params?.code === 'string' ? params.code : issue.code.toUpperCase();
    return { path: issue.path.map(String).join('.') || '(body)', message: issue.message, code };
  });
}

/** Parses a command or query input; invalid input is a ValidationError listing every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldIssues(result.error);
  throw new ValidationError(
    ErrorCode.REQUEST_INVALID,
    `Invalid input: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`,
    { fields },
  );
}
