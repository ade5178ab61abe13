import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logger';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

describe('logger', () => {
  it('names the service and masks personal IDs at any nesting the bus uses', () => {
    const out = capture();
    const logger = pino(loggerOptions('national-population'), out.stream);
    logger.info(
      { eventId: 'e-1', personalId: '001203012345', event: { spouseId: '079305001122' } },
      'applied',
    );
    const [line] = out.lines();
    expect(line).toMatchObject({
      service: 'national-population',
      level: 'info',
      eventId: 'e-1',
      personalId: '001*******45',
      event: { spouseId: '079*******22' },
      msg: 'applied',
    });
    expect(JSON.stringify(line)).not.toContain('001203012345');
  });
});
