import { describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError, TransientError } from '../errors/bus-error';
import { ErrorCode } from '../errors/error-codes';
import { classifyFailure } from './failure-verdict';

describe('classifyFailure', () => {
  it('retries infrastructure failures, including a database closed for maintenance', () => {
    expect(
      classifyFailure(new TransientError('REGISTRY_UNAVAILABLE', 'x'), ErrorCode.APPLY_FAILED).kind,
    ).toBe('transient');
    expect(
      classifyFailure({ code: '57P01', message: 'terminating' }, ErrorCode.APPLY_FAILED).kind,
    ).toBe('transient');
    const closed = {
      code: '55000',
      message: 'database "x" is not currently accepting connections',
    };
    expect(classifyFailure(closed, ErrorCode.APPLY_FAILED).kind).toBe('transient');
  });

  it('dead-letters rule breaks with their code, unknown errors with the fallback', () => {
    expect(
      classifyFailure(new RuleViolationError('CARD_EXPIRED', 'x'), ErrorCode.APPLY_FAILED),
    ).toMatchObject({
      kind: 'poison',
      reason: 'CARD_EXPIRED',
    });
    expect(classifyFailure(new ConflictError('C', 'x'), ErrorCode.APPLY_FAILED)).toMatchObject({
      reason: 'C',
    });
    expect(classifyFailure(new TypeError('boom'), ErrorCode.APPLY_FAILED)).toMatchObject({
      reason: 'APPLY_FAILED',
    });
  });
});
