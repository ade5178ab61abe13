import { NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError, ValidationError } from '../errors/bus-error';
import { toHttpError } from './http-error.filter';

describe('toHttpError', () => {
  it('maps validation errors to 400 with field-level messages', () => {
    const { status, body } = toHttpError(
      new ValidationError('INVALID_REQUEST', 'Invalid request', {
        fields: [{ path: 'child.dateOfBirth', message: 'must be a date', code: 'invalid_date' }],
      }),
    );
    expect(status).toBe(400);
    expect(body.error.fields).toEqual([
      { path: 'child.dateOfBirth', message: 'must be a date', code: 'invalid_date' },
    ]);
  });

  it('maps rule violations to 422 and conflicts to 409', () => {
    expect(toHttpError(new RuleViolationError('ID_PREFIX', 'bad prefix')).status).toBe(422);
    expect(toHttpError(new ConflictError('ALREADY_DECEASED', 'dead')).status).toBe(409);
  });

  it('keeps Nest HTTP exceptions and hides unknown errors', () => {
    expect(toHttpError(new NotFoundException()).status).toBe(404);
    const unknown = toHttpError(new Error('secret stack detail'));
    expect(unknown.status).toBe(500);
    expect(JSON.stringify(unknown.body)).not.toContain('secret');
  });

  it('answers 503 with a retriable code when a database or broker is unreachable, with no detail', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), {
      code: 'ECONNREFUSED',
    });
    const offline = Object.assign(
      new Error('database "bus_tax" is not currently accepting connections'),
      {
        code: '55000',
      },
    );
    for (const error of [refused, offline]) {
      const { status, body } = toHttpError(error);
      expect(status).toBe(503);
      expect(body.error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retriable: true });
      expect(JSON.stringify(body)).not.toMatch(/10\.0\.0\.7|bus_tax/);
    }
  });
});
