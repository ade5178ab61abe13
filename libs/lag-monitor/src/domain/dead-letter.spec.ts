import { describe, expect, it } from 'vitest';
import { deadLetterTopicOf, readDeadLetterHeaders, replayHeaders } from './dead-letter';

describe('dead letters', () => {
  it('names the topic after the group', () => {
    expect(deadLetterTopicOf('bus.sync-bhyt')).toBe('bus.sync-bhyt.dlt');
  });

  it('reads the pinned headers, tolerating missing or malformed ones', () => {
    expect(
      readDeadLetterHeaders({
        'dlt.reason': 'SCHEMA_MISMATCH',
        'dlt.message': 'bad',
        'dlt.original.topic': 'share.bhyt.citizen-changed',
        'dlt.original.partition': '3',
        'dlt.original.offset': '42',
        'dlt.consumer.group': 'bus.sync-bhyt',
        'dlt.failed.at': '2026-01-01T00:00:00.000Z',
      }),
    ).toEqual({
      reason: 'SCHEMA_MISMATCH',
      message: 'bad',
      originalTopic: 'share.bhyt.citizen-changed',
      originalPartition: 3,
      originalOffset: 42,
      consumerGroup: 'bus.sync-bhyt',
      failedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(readDeadLetterHeaders({ 'dlt.original.offset': 'x' })).toMatchObject({
      reason: 'UNKNOWN',
      originalTopic: null,
      originalOffset: null,
    });
  });

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
