import { describe, expect, it } from 'vitest';
import { maskLogValue, maskPersonalId, maskPersonalIdsInText } from './mask';

describe('maskPersonalId', () => {
  it('keeps the province prefix and last two digits only', () => {
    expect(maskPersonalId('001203012345')).toBe('001*******45');
  });
  it('masks short values entirely', () => {
    expect(maskPersonalId('1234')).toBe('****');
  });
  it('redacts non-string values', () => {
    expect(maskLogValue(42)).toBe('[redacted]');
  });
});

describe('maskPersonalIdsInText', () => {
  it('masks every 12-digit run in a URL, and nothing shorter or longer', () => {
    expect(maskPersonalIdsInText('/citizens/001203012345/history?spouse=079305001122')).toBe(
      '/citizens/001*******45/history?spouse=079*******22',
    );
    expect(maskPersonalIdsInText('/orders/12345678901 and 1234567890123')).toBe(
      '/orders/12345678901 and 1234567890123',
    );
  });
});
