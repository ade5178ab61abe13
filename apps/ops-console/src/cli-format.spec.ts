import { describe, expect, it } from 'vitest';
import { table, formatTrail } from './cli-format';

describe('cli table', () => {
  it('pads columns to the widest cell and trims line ends', () => {
    expect(
      table(
        ['A', 'LONG'],
        [
          ['xyz', '1'],
          ['', '22'],
        ],
      ),
    ).toBe('A    LONG\nxyz  1\n     22\n');
  });
});

describe('formatTrail', () => {
  it('prints one block of hops per event', () => {
    const text = formatTrail({
      query: 'event',
      events: [
        {
          eventId: 'e-1',
          personalId: '001*******45',
          version: 2,
          eventType: 'DEATH_REGISTERED',
          committed: { at: '2026-11-29T10:00:00Z', occurredAt: '2026-11-01T00:00:00Z' },
          published: { at: '2026-11-29T10:00:01Z', topic: 'master', partition: 3, offset: 9 },
          relay: null,
          router: null,
          sectors: [
            {
              sector: 'bhyt',
              state: 'applied',
              at: '2026-11-29T10:00:02Z',
              detail: 'applied 2026-11-29T10:00:02Z',
            },
            { sector: 'land', state: 'waiting', detail: 'waiting (not applied yet)' },
          ],
          trace: null,
        },
      ],
    });
    expect(text).toContain('e-1 DEATH_REGISTERED v2 citizen 001*******45');
    expect(text).toContain('published 2026-11-29T10:00:01Z master partition 3 offset 9');
    expect(text).toContain('bhyt  applied 2026-11-29T10:00:02Z');
    expect(text).toContain('land  waiting (not applied yet)');
    expect(text).toContain('trace (not traced)');
  });
});
