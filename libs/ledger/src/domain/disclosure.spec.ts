import { describe, expect, it } from 'vitest';
import { disclosuresCsv, parsePeriod, type Disclosure } from './disclosure';

const now = new Date('2026-11-29T08:00:00Z');

describe('parsePeriod', () => {
  it('defaults to everything up to now', () => {
    expect(parsePeriod(undefined, undefined, now)).toEqual({ from: new Date(0), to: now });
  });

  it('reads dates and times', () => {
    expect(parsePeriod('2026-01-01', '2026-02-01T00:00:00Z', now)).toEqual({
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-02-01T00:00:00Z'),
    });
  });

  it('names each bad field', () => {
    expect(() => parsePeriod('yesterday', '2026-13-45', now)).toThrow(
      expect.objectContaining({
        code: 'REQUEST_INVALID',
        fields: [
          { path: 'from', message: 'must be an ISO-8601 date or time' },
          { path: 'to', message: 'is not a real date' },
        ],
      }),
    );
    expect(() => parsePeriod('2026-02-01', '2026-01-01', now)).toThrow(
      expect.objectContaining({ fields: [{ path: 'from', message: 'must not be after to' }] }),
    );
  });
});

describe('disclosuresCsv', () => {
  it('writes one quoted line per delivery, lists joined', () => {
    const d: Disclosure = {
      recipient: 'land',
      recipientName: 'Land "administration"',
      purpose: 'Keep records, current',
      legalBasis: ['Land Law', 'Civil Code'],
      eventType: 'NAME_CHANGED',
      fields: ['personalId', 'fullName'],
      receivedAt: '2026-11-29T08:00:00.000Z',
      policyVersion: 2,
    };
    expect(disclosuresCsv([d]).split('\r\n')).toEqual([
      'receivedAt,recipient,recipientName,purpose,legalBasis,eventType,fields,policyVersion',
      '"2026-11-29T08:00:00.000Z","land","Land ""administration""","Keep records, current","Land Law; Civil Code","NAME_CHANGED","personalId; fullName","2"',
      '',
    ]);
  });
});
