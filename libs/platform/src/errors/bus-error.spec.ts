import { describe, expect, it } from 'vitest';
import {
  BusError,
  ConflictError,
  describeError,
  TransientError,
  ValidationError,
} from './bus-error';
import { isTransientInfrastructureError } from './transient-infrastructure';

describe('BusError', () => {
  it('keeps a stable code, the cause and the retriable flag', () => {
    const root = new Error('socket hang up');
    const error = new TransientError('KAFKA_UNAVAILABLE', 'broker unreachable', { cause: root });
    expect(error).toBeInstanceOf(BusError);
    expect(error.code).toBe('KAFKA_UNAVAILABLE');
    expect(error.retriable).toBe(true);
    expect(error.cause).toBe(root);
    expect(error.name).toBe('TransientError');
  });

  it('never marks validation or conflict errors retriable', () => {
    expect(new ValidationError('BAD', 'bad', { retriable: true } as never).retriable).toBe(false);
    expect(new ConflictError('DUP', 'dup').retriable).toBe(false);
  });

  it('describes the whole cause chain', () => {
    const error = new ConflictError('CITIZEN_DECEASED', 'already dead', {
      cause: new Error('row locked'),
    });
    expect(describeError(error)).toBe('CITIZEN_DECEASED: already dead <- row locked');
  });
});

describe('isTransientInfrastructureError', () => {
  it('recognises connection failures and pg availability states', () => {
    expect(isTransientInfrastructureError({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isTransientInfrastructureError({ code: '57P01' })).toBe(true);
    expect(isTransientInfrastructureError({ code: '08006' })).toBe(true);
    expect(isTransientInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(
      true,
    );
  });

  it('treats constraint violations and bad data as permanent', () => {
    expect(isTransientInfrastructureError({ code: '23505' })).toBe(false);
    expect(isTransientInfrastructureError(new ValidationError('X', 'y'))).toBe(false);
    expect(isTransientInfrastructureError('boom')).toBe(false);
  });
});
