import { findCommune } from '@bus/contracts';
import { ErrorCode, type Principal, ValidationError } from '@bus/platform';
import type { CommandOptions } from '../../application/command-runner';

type Headers = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Idempotency-Key and If-Match (the version the client last read, as returned in ETag).
 * A body field `expectedVersion` is accepted too, for clients that cannot set headers.
 */
export function commandOptionsFrom(
  headers: Headers,
  body?: unknown,
  caller?: Principal,
): CommandOptions {
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
  if (fields.length > 0)
    throw new ValidationError(ErrorCode.INVALID_HEADERS, 'Invalid request headers', { fields });
  return {
    idempotencyKey: key,
    expectedVersion,
    ...(caller ? callerOptions(caller) : {}),
  };
}

/** The national-population API's roles (client roles of its audience at the provider). */
export const PopulationRole = {
  Officer: 'officer',
  Admin: 'admin',
  Citizen: 'citizen',
  /** The share router's client: reads current states for follow-list fills. */
  StateReader: 'state-reader',
} as const;

/** An officer's province: their agency is a province code (01) or a commune code (00070). */
export function provinceOfAgency(agency: string | undefined): string | null {
  if (agency === undefined) return null;
  if (/^\d{2}$/.test(agency)) return agency;
  return findCommune(agency)?.provinceCode ?? null;
}

/**
 * Who signs the events (`sourceAgency`, from the token, never from a header) and, for an
 * officer who is not also an administrator, the province they may record in.
 */
export function callerOptions(
  caller: Principal,
): Pick<CommandOptions, 'sourceAgency' | 'jurisdiction'> {
  const national = caller.roles.includes(PopulationRole.Admin);
  return {
    sourceAgency: (caller.agency ?? caller.clientId).slice(0, 100),
    ...(national ? {} : { jurisdiction: { province: provinceOfAgency(caller.agency) } }),
  };
}

/** The body without the transport-level `expectedVersion`, for the command schema. */
export function withoutExpectedVersion(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const { expectedVersion: _expected, ...rest } = body as Record<string, unknown>;
  return rest;
}
