import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import type { PoolClient } from 'pg';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RuleViolationError, TransientError } from '@bus/platform';
import type { SectorApply } from '../application/sector-sync.options';
import type { SyncEvent } from '../domain/sync-envelope';
import { SectorSyncEngine } from './sector-sync.engine';
import { connectSectorSync, SyncRules } from './sector-sync.module';
import { SectorSyncTransport } from './sector-sync.transport';

const outage = new TransientError('DB_DOWN', 'the database went away');
const broken = new RuleViolationError('CARD_EXPIRED', 'the card expired');

@SyncRules()
class FailingRules {
  @EventPattern('DEATH')
  death(_event: unknown): Promise<void> {
    return Promise.reject(broken);
  }

  @EventPattern('MOVE')
  move(_event: unknown): Promise<void> {
    return Promise.reject(outage);
  }
}

/** A Nest app wired as a sector's is, on an engine that never touches Kafka or PostgreSQL. */
async function sectorApp(): Promise<SectorApply<unknown>> {
  let apply: SectorApply<unknown> | undefined;
  const engine = {
    useApply: (fn: SectorApply<unknown>) => (apply = fn),
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
  @Module({
    controllers: [FailingRules],
    providers: [
      { provide: SectorSyncEngine, useValue: engine },
      {
        provide: SectorSyncTransport,
        inject: [SectorSyncEngine],
        useFactory: (e: SectorSyncEngine) =>
          new SectorSyncTransport<{ eventType: string }>(e, (ev) => ev.eventType),
      },
    ],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  connectSectorSync(app);
  await app.init();
  await app.startAllMicroservices();
  if (!apply) throw new TransientError('NOT_WIRED', 'the transport did not register its apply');
  return apply;
}

const event = (eventType: string): SyncEvent<unknown>[] => [
  {
    key: 'k',
    version: 1,
    eventId: 'e',
    event: { eventType },
    topic: 't',
    partition: 0,
    offset: '0',
    previousVersion: null,
  },
];
const context = {
  topic: 't',
  partition: 0,
  logger: pino({ enabled: false }),
  follows: { follow: async () => [], unfollow: async () => [] },
};
const tx = {} as PoolClient;

describe('a sector app on the sector-sync transport (real Nest wiring)', () => {
  it("hands a handler's errors to the framework unchanged: a rule's code, an outage's retry", async () => {
    const apply = await sectorApp();
    await expect(apply(event('DEATH'), tx, context)).rejects.toBe(broken);
    await expect(apply(event('MOVE'), tx, context)).rejects.toBe(outage);
  });
});
