import { Writable } from 'node:stream';
import { logLevel } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../logging/logger';
import { kafkaLogCreator } from './kafka';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino(loggerOptions('test', 'debug'), stream), lines };
}

describe('kafkaLogCreator', () => {
  it('keeps kafkajs levels, but logs broker error responses and retried sends at debug', () => {
    const { logger, lines } = capture();
    const log = kafkaLogCreator(logger)(logLevel.DEBUG);
    const entry = (level: logLevel, message: string) =>
      log({ namespace: 'x', level, label: 'l', log: { message, timestamp: '', broker: 'b' } });
    entry(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded');
    entry(logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)');
    entry(logLevel.ERROR, 'Failed to send messages: concurrent operation on the same transaction');
    entry(logLevel.WARN, 'rebalancing');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['error', 'Crash: KafkaJSNumberOfRetriesExceeded'],
      ['debug', 'Response CreateTopics(key: 19, version: 3)'],
      ['debug', 'Failed to send messages: concurrent operation on the same transaction'],
      ['warn', 'rebalancing'],
    ]);
    expect(lines[0]).toMatchObject({ service: 'test', kafka: { broker: 'b' } });
  });
});
