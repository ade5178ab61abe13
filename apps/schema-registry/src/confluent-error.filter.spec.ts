import { NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  IncompatibleSchemaError,
  InvalidCompatibilityLevelError,
  InvalidSchemaError,
  InvalidVersionError,
  RegistryStoreError,
  SchemaNotFoundError,
  SubjectLevelNotConfiguredError,
  SubjectNotFoundError,
  SubjectNotSoftDeletedError,
  SubjectSoftDeletedError,
  VersionNotFoundError,
} from '@bus/schema-registry';
import { toConfluentError } from './confluent-error.filter';

describe('toConfluentError', () => {
  it.each([
    [new SubjectNotFoundError('s'), 404, 40401],
    [new VersionNotFoundError('s', 3), 404, 40402],
    [new SchemaNotFoundError(), 404, 40403],
    [new SubjectSoftDeletedError('s'), 404, 40404],
    [new SubjectNotSoftDeletedError('s'), 404, 40405],
    [new SubjectLevelNotConfiguredError('s'), 404, 40408],
    [new IncompatibleSchemaError('s', ['reason']), 409, 40901],
    [new InvalidSchemaError('bad'), 422, 42201],
    [new InvalidVersionError('x'), 422, 42202],
    [new InvalidCompatibilityLevelError('x'), 422, 42203],
    [new RegistryStoreError(new Error('connection refused')), 500, 50001],
  ])('maps %s to %i / %i', (error, status, code) => {
    const mapped = toConfluentError(error);
    expect(mapped.status).toBe(status);
    expect(mapped.body).toEqual({ error_code: code, message: error.message });
  });

  it('answers body-parser failures in the same shape', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      type: 'entity.too.large',
      limit: 1024,
    });
    expect(toConfluentError(tooLarge)).toEqual({
      status: 413,
      body: { error_code: 413, message: 'Request body is larger than the limit of 1024 bytes' },
    });
    const malformed = Object.assign(new Error('Unexpected token'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    expect(toConfluentError(malformed).body.error_code).toBe(400);
  });

  it('never leaks internals of unexpected errors', () => {
    expect(toConfluentError(new Error('password=secret'))).toEqual({
      status: 500,
      body: { error_code: 500, message: 'Internal Server Error' },
    });
    expect(toConfluentError(new NotFoundException()).status).toBe(404);
  });

  it('keeps the store error message free of database details', () => {
    const mapped = toConfluentError(
      new RegistryStoreError(new Error('FATAL: role "x" does not exist')),
    );
    expect(mapped.body.message).not.toContain('role');
  });
});
