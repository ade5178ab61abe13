import { ErrorCode, ValidationError } from '@bus/platform';
import type { CommandOptions } from '../../application/command-runner';

type Headers = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Idempotency-Key and If-Match (the version the client last read, as returned in ETag).
 * A body field `expectedVersion` is accepted too, for clients that cannot set headers.
 */
export function commandOptionsFrom(headers: Headers, body?: unknown): CommandOptions {
  const fields: { path: string; message: string; code: string }[] = [];
  const key = first(headers['idempotency-key']);
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
    fields.push({
      path: 'Idempotency-Key',
      message: 'must be 1-200 visible ASCII characters',
      code: 'IDEMPOTENCY_KEY_FORMAT',
    });
  }
  let expectedVersion: number | undefined;
  const ifMatch = first(headers['if-match']);
  if (ifMatch !== undefined) {
    const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(ifMatch.trim());
    if (match) expectedVersion = Number(match[1]);
    else
      fields.push({
        path: 'If-Match',
        message: 'must be a version such as "3"',
        code: 'IF_MATCH_FORMAT',
      });
  }
  const fromBody = (body as { expectedVersion?: unknown } | undefined)?.expectedVersion;
  if (expectedVersion === undefined && fromBody !== undefined) {
    if (typeof fromBody === 'number' && Number.isInteger(fromBody) && fromBody > 0)
      expectedVersion = fromBody;
    else
      fields.push({
        path: 'expectedVersion',
        message: 'must be a positive integer',
        code: 'VERSION_FORMAT',
      });
  }
  const agency = first(headers['x-source-agency']);
  if (fields.length > 0)
    throw new ValidationError(ErrorCode.INVALID_HEADERS, 'Invalid request headers', { fields });
  return { idempotencyKey: key, expectedVersion, sourceAgency: agency?.slice(0, 100) };
}

/** The body without the transport-level `expectedVersion`, for the command schema. */
export function withoutExpectedVersion(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const { expectedVersion: _expected, ...rest } = body as Record<string, unknown>;
  return rest;
}
