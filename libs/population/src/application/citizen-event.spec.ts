import { describe, expect, it } from 'vitest';
import { citizen } from '../domain/citizen.fixture';
import { toWireState } from './citizen-event';

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
});
