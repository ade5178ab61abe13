import { describe, expect, it } from 'vitest';
import {
  deadLetterHeaders,
  deadLetterTopicFor,
  DLT_HEADERS,
  readDeadLetterHeaders,
} from './dead-letter';

describe('deadLetterHeaders', () => {
  it('keeps the original headers and adds the pinned ones', () => {
    const headers = deadLetterHeaders(
      { traceparent: 'abc', [DLT_HEADERS.reason]: 'OLD' },
      { topic: 'share.bhyt.citizen-changed', partition: 3, offset: '42', group: 'bus.sync-bhyt' },
      { reason: 'AVRO_DECODE_FAILED', message: 'bad bytes' },
      new Date('2026-01-02T03:04:05.000Z'),
    );
    expect(headers).toEqual({
      traceparent: 'abc',
      'dlt.reason': 'AVRO_DECODE_FAILED',
      'dlt.message': 'bad bytes',
      'dlt.original.topic': 'share.bhyt.citizen-changed',
      'dlt.original.partition': '3',
      'dlt.original.offset': '42',
      'dlt.consumer.group': 'bus.sync-bhyt',
      'dlt.failed.at': '2026-01-02T03:04:05.000Z',
    });
  });

  it('names the topic after the consumer group', () => {
    expect(deadLetterTopicFor('bus.sync-land')).toBe('bus.sync-land.dlt');
  });
});

describe('readDeadLetterHeaders', () => {
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
});
