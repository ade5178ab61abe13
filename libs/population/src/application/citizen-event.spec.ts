import { describe, expect, it } from 'vitest';
import { citizen } from '../domain/citizen.fixture';
import { citizenChangedPayload, currentStatePayload, toWireState } from './citizen-event';

describe('wire state', () => {
  it('sends a retired record that records a death as DECEASED, never ALIVE', () => {
    const merged = citizen({
      status: 'MERGED',
      replacedBy: '001090000010',
      dateOfDeath: '2020-01-01',
    });
    expect(toWireState(merged)).toMatchObject({ status: 'DECEASED', successorId: '001090000010' });
    expect(toWireState(citizen({ status: 'CANCELLED' })).status).toBe('ALIVE');
  });

  it('publishes an initial load as its own kind, RECORD_CORRECTED for readers before v3', () => {
    const after = { ...citizen({}), version: 1 };
    const payload = (changeType: 'INITIAL_LOAD' | 'RECORD_CORRECTED') =>
      citizenChangedPayload({
        eventId: '6f1c1d2e-8a4b-4c55-9a70-2f4d3b1e0a01',
        recordedAt: new Date('2026-11-29T03:00:00Z'),
        sourceAgency: 'BCA-C06',
        change: { changeType, before: null, after, effectiveOn: after.dateOfBirth },
      });
    expect(payload('INITIAL_LOAD')).toMatchObject({
      eventType: 'RECORD_CORRECTED',
      eventKind: 'INITIAL_LOAD',
    });
    expect(payload('RECORD_CORRECTED').eventKind).toBe('OTHER');
  });

  it('gives the current state as an initial load at its current version, every field named', () => {
    const now = new Date('2026-11-29T03:00:00Z');
    const state = currentStatePayload({ ...citizen({}), version: 7 }, 'fill-1', now);
    expect(state).toMatchObject({
      eventId: 'fill-1',
      eventType: 'RECORD_CORRECTED',
      eventKind: 'INITIAL_LOAD',
      version: 7,
      recordedAt: now.getTime(),
      ...toWireState(citizen({})),
    });
    expect(state.changedFields).toEqual(
      expect.arrayContaining(['fullName', 'permanentResidence', 'idCardNumber', 'successorId']),
    );
  });
});
