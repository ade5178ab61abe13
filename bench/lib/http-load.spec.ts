import { describe, expect, it } from 'vitest';
import { summarise, type HttpCommand, type Sent } from './http-load';
import { perUnit } from './proc-stats';

const command: HttpCommand = { method: 'PUT', path: '/x', body: {}, personalId: '001195000001' };
const sent = (dueAt: number, answeredAt: number, status: number): Sent => ({
  command,
  dueAt,
  sentAt: dueAt,
  answeredAt,
  status,
});

describe('summarise', () => {
  it('times recorded commands from when they were due, and counts refusals and errors apart', () => {
    const summary = summarise(
      [sent(0, 10, 200), sent(5, 25, 201), sent(10, 20, 409), sent(15, 16, 500), sent(20, 21, 0)],
      2,
      200,
    );
    expect(summary).toMatchObject({
      askedPerSec: 200,
      sent: 5,
      recorded: 2,
      refused: 1,
      errors: 2,
      commandsPerSec: 1,
      p50Ms: 10,
      maxMs: 20,
    });
    expect(summary.statuses).toEqual({ '200': 1, '201': 1, '409': 1, '500': 1, '0': 1 });
  });
});

describe('perUnit', () => {
  it('divides each process and the total by the units of work', () => {
    expect(perUnit({ relay: 100, kafka: 300 }, 200)).toEqual({ relay: 0.5, kafka: 1.5, total: 2 });
  });
});
