import { describe, expect, it } from 'vitest';
import { eventTrail, type OutboxFact, type TrailFacts } from './event-trail';

const outbox: OutboxFact = {
  eventId: 'e-1',
  personalId: '001203012345',
  version: 3,
  eventType: 'DEATH_REGISTERED',
  occurredAt: '2026-11-01T00:00:00.000Z',
  committedAt: '2026-11-29T10:00:00.000Z',
  publishedAt: '2026-11-29T10:00:00.050Z',
  deadLetterReason: null,
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};
const grant = (eventTypes: string[]) => ({
  name: 'Sector',
  purpose: 'a purpose',
  eventTypes: new Set(eventTypes),
});
const grants = {
  bhyt: grant(['DEATH_REGISTERED']),
  land: grant(['DEATH_REGISTERED']),
  tax: grant(['DEATH_REGISTERED']),
  tthc: grant(['BIRTH_REGISTERED']),
};
const facts = (over: Partial<TrailFacts> = {}): TrailFacts => ({
  outbox,
  masterTopic: 'population.citizen-changed',
  position: { partition: 4, offset: 17 },
  appliedAt: new Map([['bhyt', '2026-11-29T10:00:01.000Z']]),
  deadLetters: [
    { eventId: 'e-1', sector: 'land', reason: 'APPLY_FAILED', message: 'refused', at: null },
  ],
  ...over,
});

describe('eventTrail', () => {
  it('gives each hop: committed, published, and per sector applied, dead-lettered, waiting or withheld', () => {
    const trail = eventTrail(facts(), grants, 'http://zipkin/traces/');
    expect(trail).toMatchObject({
      personalId: '001*******45',
      committed: { at: outbox.committedAt, occurredAt: outbox.occurredAt },
      published: { at: outbox.publishedAt, partition: 4, offset: 17 },
      router: null,
      trace: {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        url: 'http://zipkin/traces/0af7651916cd43dd8448eb211c80319c',
      },
    });
    expect(trail.sectors.map(({ detail: _detail, ...hop }) => hop)).toEqual([
      { sector: 'bhyt', state: 'applied', at: '2026-11-29T10:00:01.000Z' },
      {
        sector: 'land',
        state: 'dead-lettered',
        at: null,
        reason: 'APPLY_FAILED',
        message: 'refused',
      },
      { sector: 'tax', state: 'waiting' },
      {
        sector: 'tthc',
        state: 'withheld',
        reason: 'DEATH_REGISTERED is not shared with Sector (purpose: a purpose)',
      },
    ]);
  });

  it('shows an unpublished row, an untraced one, and a record the router dead-lettered', () => {
    const trail = eventTrail(
      facts({
        outbox: { ...outbox, publishedAt: null, traceparent: null },
        appliedAt: new Map(),
        deadLetters: [
          { eventId: 'e-1', sector: null, reason: 'ROUTE_FAILED', message: 'x', at: null },
        ],
      }),
      grants,
      'http://zipkin/traces/',
    );
    expect(trail.published).toBeNull();
    expect(trail.trace).toBeNull();
    expect(trail.router).toEqual({ reason: 'ROUTE_FAILED', message: 'x' });
    expect(trail.sectors[0]).toMatchObject({
      state: 'dead-lettered',
      reason: 'ROUTE_FAILED',
      detail: 'dead-lettered: ROUTE_FAILED (x)',
    });
  });

  it('shows a row the outbox relay dead-lettered: never published, no sector gets it', () => {
    const trail = eventTrail(
      facts({
        outbox: { ...outbox, deadLetterReason: 'AVRO_ENCODE_FAILED' },
        position: undefined,
        appliedAt: new Map(),
        deadLetters: [],
      }),
      grants,
      'http://zipkin/traces/',
    );
    expect(trail.published).toBeNull();
    expect(trail.relay).toMatchObject({ reason: 'AVRO_ENCODE_FAILED' });
    expect(trail.relay?.message).toContain('bus.outbox-relay.dlt');
    expect(trail.sectors[0]).toMatchObject({
      state: 'dead-lettered',
      reason: 'AVRO_ENCODE_FAILED',
    });
    expect(trail.sectors[3]).toMatchObject({ state: 'withheld' });
  });
});
