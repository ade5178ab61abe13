import {
  ConflictError,
  NotFoundError,
  TransientError,
  ValidationError,
  type BusErrorOptions,
} from '@bus/platform';

/*
 * Stable codes of the registry. The app's Confluent filter maps each one to the
 * HTTP status and `error_code` that Confluent's registry uses for the same case;
 * clients switch on those numbers, so the mapping lives in one table at the edge.
 */
export const REGISTRY_ERROR = {
  subjectNotFound: 'SUBJECT_NOT_FOUND',
  versionNotFound: 'VERSION_NOT_FOUND',
  schemaNotFound: 'SCHEMA_NOT_FOUND',
  subjectSoftDeleted: 'SUBJECT_SOFT_DELETED',
  subjectNotSoftDeleted: 'SUBJECT_NOT_SOFT_DELETED',
  versionSoftDeleted: 'VERSION_SOFT_DELETED',
  versionNotSoftDeleted: 'VERSION_NOT_SOFT_DELETED',
  subjectLevelNotConfigured: 'SUBJECT_COMPATIBILITY_NOT_CONFIGURED',
  incompatibleSchema: 'SCHEMA_INCOMPATIBLE',
  invalidSchema: 'SCHEMA_INVALID',
  invalidVersion: 'VERSION_INVALID',
  invalidCompatibilityLevel: 'COMPATIBILITY_LEVEL_INVALID',
  storeError: 'REGISTRY_STORE_ERROR',
} as const;

export class SubjectNotFoundError extends NotFoundError {
  constructor(subject: string) {
    super(REGISTRY_ERROR.subjectNotFound, `Subject '${subject}' not found.`, {
      details: { subject },
    });
  }
}

export class VersionNotFoundError extends NotFoundError {
  constructor(subject: string, version: number | string) {
    super(REGISTRY_ERROR.versionNotFound, `Version ${version} not found.`, {
      details: { subject, version },
    });
  }
}

export class SchemaNotFoundError extends NotFoundError {
  constructor(message = 'Schema not found', options: BusErrorOptions = {}) {
    super(REGISTRY_ERROR.schemaNotFound, message, options);
  }
}

export class SubjectSoftDeletedError extends NotFoundError {
  constructor(subject: string) {
    super(
      REGISTRY_ERROR.subjectSoftDeleted,
      `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`,
      { details: { subject } },
    );
  }
}

export class SubjectNotSoftDeletedError extends NotFoundError {
  constructor(subject: string) {
    super(
      REGISTRY_ERROR.subjectNotSoftDeleted,
      `Subject '${subject}' was not deleted first before being permanently deleted`,
      { details: { subject } },
    );
  }
}

export class VersionSoftDeletedError extends NotFoundError {
  constructor(subject: string, version: number) {
    super(
      REGISTRY_ERROR.versionSoftDeleted,
      `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`,
      { details: { subject, version } },
    );
  }
}

export class VersionNotSoftDeletedError extends NotFoundError {
  constructor(subject: string, version: number) {
    super(
      REGISTRY_ERROR.versionNotSoftDeleted,
      `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
      { details: { subject, version } },
    );
  }
}

export class SubjectLevelNotConfiguredError extends NotFoundError {
  constructor(subject: string) {
    super(
      REGISTRY_ERROR.subjectLevelNotConfigured,
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
      REGISTRY_ERROR.incompatibleSchema,
      `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${reasons.join(', ')}]`,
      { details: { subject, reasons: [...reasons] } },
    );
  }
}

export class InvalidSchemaError extends ValidationError {
  constructor(message: string, options: BusErrorOptions = {}) {
    super(REGISTRY_ERROR.invalidSchema, message, options);
  }
}

export class InvalidVersionError extends ValidationError {
  constructor(version: string) {
    super(
      REGISTRY_ERROR.invalidVersion,
      `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
      { details: { version } },
    );
  }
}

export class InvalidCompatibilityLevelError extends ValidationError {
  constructor(level: unknown) {
    super(
      REGISTRY_ERROR.invalidCompatibilityLevel,
      `Invalid compatibility level${level === undefined ? '' : ` '${String(level)}'`}. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive`,
      { fields: [{ path: 'compatibility', message: 'not a known compatibility level' }] },
    );
  }
}

export class RegistryStoreError extends TransientError {
  constructor(cause: unknown) {
    super(REGISTRY_ERROR.storeError, 'Error while accessing the schema store', { cause });
  }
}
