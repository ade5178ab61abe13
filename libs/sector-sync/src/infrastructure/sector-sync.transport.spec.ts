import type { PoolClient } from 'pg';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RuleViolationError } from '@bus/platform';
import type { SectorApply } from '../application/sector-sync.options';
import type { SyncEvent } from '../domain/sync-envelope';
import type { SectorSyncEngine } from './sector-sync.engine';
import type { SyncContext } from './sector-sync.transport';
import { EVENT_RUN, SectorSyncTransport } from './sector-sync.transport';

interface Ev {
  readonly eventType: string;
  readonly n: number;
}

const tx = { query: () => undefined } as unknown as PoolClient;
const context = {
  topic: 't',
  partition: 2,
  logger: pino({ enabled: false }),
  follows: { follow: async () => [], unfollow: async () => [] },
};

function started() {
  let apply: SectorApply<unknown> | undefined;
  const engine = {
    useApply: (fn: SectorApply<unknown>) => (apply = fn),
    start: () => Promise.resolve(),
  } as unknown as SectorSyncEngine;
  const transport = new SectorSyncTransport<Ev>(engine, (e) => e.eventType);
  const calls: string[] = [];
  const run = (events: readonly SyncEvent<Ev>[]) =>
    (apply as SectorApply<unknown>)(events, tx, context);
  return { transport, calls, run, listen: () => transport.listen(() => undefined) };
}

const events = (...types: string[]): SyncEvent<Ev>[] =>
  types.map((eventType, n) => ({
    key: `k${n}`,
    version: 1,
    eventId: `e${n}`,
    event: { eventType, n },
    topic: 't',
    partition: 2,
    offset: String(n),
    previousVersion: null,
  }));

describe('SectorSyncTransport', () => {
  it('gives events with a handler of their own to it, in order, and runs between them to EVENT_RUN', async () => {
    const { transport, calls, run, listen } = started();
    transport.addHandler(
      EVENT_RUN,
      async (batch: Ev[]) => {
        calls.push(`run:${batch.map((e) => e.n).join(',')}`);
      },
      true,
    );
    transport.addHandler(
      'MERGED',
      async (e: Ev, ctx: SyncContext) => {
        calls.push(
          `merged:${e.n}@${ctx.getPartition()}${ctx.getTransaction() === tx ? '+tx' : ''}`,
        );
      },
      true,
    );
    listen();
    await run(events('BIRTH', 'NAME', 'MERGED', 'DEATH', 'MERGED'));
    expect(calls).toEqual(['run:0,1', 'merged:2@2+tx', 'run:3', 'merged:4@2+tx']);
  });

  it('hands a rule error to the framework unchanged, so that its code becomes the dead-letter reason', async () => {
    const { transport, run, listen } = started();
    const broken = new RuleViolationError('CARD_EXPIRED', 'x');
    transport.addHandler('DEATH', () => Promise.reject(broken), true);
    listen();
    await expect(run(events('DEATH'))).rejects.toBe(broken);
  });

  it('skips events that no handler takes when there is no EVENT_RUN handler', async () => {
    const { transport, calls, run, listen } = started();
    transport.addHandler('DEATH', async (e: Ev) => void calls.push(`death:${e.n}`), true);
    listen();
    await run(events('BIRTH', 'DEATH'));
    expect(calls).toEqual(['death:1']);
  });
});
