import { describe, expect, it } from 'vitest';
import { maskLogValue, maskPersonalId } from './mask';

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
