import { describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError, TransientError } from '@bus/platform';
import { parseSectorSyncOptions, type SectorSyncOptionsInput } from './sector-sync.options';
import { classifyFailure } from './failure';

const valid: SectorSyncOptionsInput = {
  groupId: 'bus.sync-bhyt',
  topic: 'share.bhyt.citizen-changed',
  brokers: ['127.0.0.1:9092'],
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/bus_bhyt',
  decode: () => ({ key: 'k', version: 1, eventId: 'e', event: null }),
  apply: async () => undefined,
};

describe('parseSectorSyncOptions', () => {
  it('fills the conventional defaults', () => {
    const options = parseSectorSyncOptions(valid);
    expect(options.deadLetterTopic).toBe('bus.sync-bhyt.dlt');
    expect(options.progressTopic).toBe('ops.sync-progress');
    expect(options.clientId).toBe('bus.sync-bhyt');
  });

  it('fails at boot with one line per bad field', () => {
    const bad = {
      ...valid,
      brokers: ['no-port'],
      databaseUrl: 'mysql://x',
      apply: 'not a function',
      backoff: { initialMs: 500, maxMs: 100 },
    } as unknown as SectorSyncOptionsInput;
    expect(() => parseSectorSyncOptions(bad)).toThrow(
      /brokers\.0: must be host:port[\s\S]*databaseUrl: must be a postgres:\/\/ URL[\s\S]*apply: apply must be a function/,
    );
  });
});

describe('classifyFailure', () => {
  it('retries infrastructure failures, including a database closed for maintenance', () => {
    expect(classifyFailure(new TransientError('REGISTRY_UNAVAILABLE', 'x'), 'F').kind).toBe(
      'transient',
    );
    expect(classifyFailure({ code: '57P01', message: 'terminating' }, 'F').kind).toBe('transient');
    const closed = {
      code: '55000',
      message: 'database "x" is not currently accepting connections',
    };
    expect(classifyFailure(closed, 'F').kind).toBe('transient');
  });

  it('dead-letters rule breaks with their code, unknown errors with the fallback', () => {
    expect(classifyFailure(new RuleViolationError('CARD_EXPIRED', 'x'), 'F')).toMatchObject({
      kind: 'poison',
      reason: 'CARD_EXPIRED',
    });
    expect(classifyFailure(new ConflictError('C', 'x'), 'F')).toMatchObject({ reason: 'C' });
    expect(classifyFailure(new TypeError('boom'), 'APPLY_FAILED')).toMatchObject({
      reason: 'APPLY_FAILED',
    });
  });
});
