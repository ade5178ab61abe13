import {
  ConflictError,
  ErrorCode,
  NotFoundError,
  TransientError,
  ValidationError,
  type BusErrorOptions,
} from '@bus/platform/pure';

/*
 * The registry's codes live in the bus registry (`ErrorCode`). The app's Confluent
 * filter maps each one to the HTTP status and `error_code` that Confluent's registry
 * uses for the same case; clients switch on those numbers, so the mapping lives in
 * one table at the edge.
 */
export class SubjectNotFoundError extends NotFoundError {
  constructor(subject: string) {
    super(ErrorCode.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`, {
      details: { subject },
    });
  }
}

export class VersionNotFoundError extends NotFoundError {
  constructor(subject: string, version: number | string) {
    super(ErrorCode.VERSION_NOT_FOUND, `Version ${version} not found.`, {
      details: { subject, version },
    });
  }
}

export class SchemaNotFoundError extends NotFoundError {
  constructor(message = 'Schema not found', options: BusErrorOptions = {}) {
    super(ErrorCode.SCHEMA_NOT_FOUND, message, options);
  }
}

export class SubjectSoftDeletedError extends NotFoundError {
  constructor(subject: string) {
    super(
      ErrorCode.SUBJECT_SOFT_DELETED,
      `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`,
      { details: { subject } },
    );
  }
}

export class SubjectNotSoftDeletedError extends NotFoundError {
  constructor(subject: string) {
    super(
      ErrorCode.SUBJECT_NOT_SOFT_DELETED,
      `Subject '${subject}' was not deleted first before being permanently deleted`,
      { details: { subject } },
    );
  }
}

export class VersionSoftDeletedError extends NotFoundError {
  constructor(subject: string, version: number) {
    super(
      ErrorCode.VERSION_SOFT_DELETED,
      `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`,
      { details: { subject, version } },
    );
  }
}

export class VersionNotSoftDeletedError extends NotFoundError {
  constructor(subject: string, version: number) {
    super(
      ErrorCode.VERSION_NOT_SOFT_DELETED,
      `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
      { details: { subject, version } },
    );
  }
}

export class SubjectLevelNotConfiguredError extends NotFoundError {
  constructor(subject: string) {
    super(
      ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
      `Subject '${subject}' does not have subject-level compatibility configured`,
      { details: { subject } },
    );
  }
}

export class IncompatibleSchemaError extends ConflictError {
  constructor(
    subject: string,
    readonly reasons: readonly string[],
  ) {
    super(
      ErrorCode.SCHEMA_INCOMPATIBLE,
      `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${reasons.join(', ')}]`,
      { details: { subject, reasons: [...reasons] } },
    );
  }
}

export class InvalidSchemaError extends ValidationError {
  constructor(message: string, options: BusErrorOptions = {}) {
    super(ErrorCode.SCHEMA_INVALID, message, options);
  }
}

export class InvalidVersionError extends ValidationError {
  constructor(version: string) {
    super(
      ErrorCode.VERSION_INVALID,
      `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
      { details: { version } },
    );
  }
}

export class InvalidCompatibilityLevelError extends ValidationError {
  constructor(level: unknown) {
    super(
      ErrorCode.COMPATIBILITY_LEVEL_INVALID,
      `Invalid compatibility level${level === undefined ? '' : ` '${String(level)}'`}. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive`,
      { fields: [{ path: 'compatibility', message: 'not a known compatibility level' }] },
    );
  }
}

export class RegistryStoreError extends TransientError {
  constructor(cause: unknown) {
    super(ErrorCode.REGISTRY_STORE_ERROR, 'Error while accessing the schema store', { cause });
  }
}
