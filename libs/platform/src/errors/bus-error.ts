/**
 * The one error base class of the bus. Domain and application code throw these;
 * only the edges (HTTP filter, Kafka consumer loop) decide what a code means for
 * a status, a retry or a dead letter.
 */
export type ErrorKind =
  | 'validation' // input is malformed: never retried
  | 'rule' // well-formed input that breaks a domain rule: never retried
  | 'unauthenticated' // no credential, or one that does not verify: 401
  | 'forbidden' // a verified caller without the right: 403
  | 'not-found'
  | 'conflict' // a business or optimistic-concurrency conflict
  | 'transient' // infrastructure hiccup: worth retrying
  | 'internal';

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  readonly code?: string;
}

export interface BusErrorOptions {
  readonly cause?: unknown;
  readonly retriable?: boolean;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly fields?: readonly FieldIssue[];
}

export class BusError extends Error {
  readonly retriable: boolean;
  readonly details: Readonly<Record<string, unknown>>;
  readonly fields: readonly FieldIssue[];

  constructor(
    /** Stable, documented code such as `CITIZEN_NOT_FOUND`; clients may switch on it. */
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    options: BusErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? kind === 'transient';
    this.details = options.details ?? {};
    this.fields = options.fields ?? [];
  }
}

export class ValidationError extends BusError {
  constructor(code: string, message: string, options: BusErrorOptions = {}) {
    super(code, 'validation', message, { ...options, retriable: false });
  }
}

export class RuleViolationError extends BusError {
  constructor(code: string, message: string, options: BusErrorOptions = {}) {
    super(code, 'rule', message, { ...options, retriable: false });
  }
}

export class NotFoundError extends BusError {
  constructor(code: string, message: string, options: BusErrorOptions = {}) {
    super(code, 'not-found', message, { ...options, retriable: false });
  }
}

export class ConflictError extends BusError {
  constructor(code: string, message: string, options: BusErrorOptions = {}) {
    super(code, 'conflict', message, { ...options, retriable: false });
  }
}

/** 401: `challenge` is the WWW-Authenticate value the HTTP edge sends back (RFC 6750). */
export class UnauthenticatedError extends BusError {
  constructor(
    code: string,
    message: string,
    readonly challenge: string,
    options: BusErrorOptions = {},
  ) {
    super(code, 'unauthenticated', message, { ...options, retriable: false });
  }
}

export class ForbiddenError extends BusError {
  constructor(code: string, message: string, options: BusErrorOptions = {}) {
    super(code, 'forbidden', message, { ...options, retriable: false });
  }
}

export class TransientError extends BusError {
  constructor(code: string, message: string, options: BusErrorOptions = {}) {
    super(code, 'transient', message, { ...options, retriable: true });
  }
}

export function isBusError(error: unknown): error is BusError {
  return error instanceof BusError;
}

/** Walks `cause` links: the root often says more than the wrapper. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(
        current instanceof BusError ? `${current.code}: ${current.message}` : current.message,
      );
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(' <- ');
}
