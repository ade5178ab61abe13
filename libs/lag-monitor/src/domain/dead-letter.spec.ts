import { describe, expect, it } from 'vitest';
import { replayHeaders } from './dead-letter';

describe('dead-letter replay', () => {
  it('keeps the original headers on replay and drops the dlt.* ones', () => {
    expect(
      replayHeaders(
        { traceparent: 'abc', 'dlt.reason': 'X' },
        { from: 'g.dlt/0/1', by: 'lan', at: '2026-01-01T00:00:00Z' },
      ),
    ).toEqual({
      traceparent: 'abc',
      'replay.from': 'g.dlt/0/1',
      'replay.by': 'lan',
      'replay.at': '2026-01-01T00:00:00Z',
    });
  });
});
