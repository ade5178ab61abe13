import { describe, expect, it } from 'vitest';
import { assertVietnameseName, MAX_NAME_LENGTH, normalizeVietnameseName } from './vietnamese-name';

describe('normalizeVietnameseName', () => {
  it('turns a decomposed name into the same string as its precomposed form', () => {
    const precomposed = 'Nguyễn Thị Ánh Tuyết';
    const decomposed = precomposed.normalize('NFD');
    expect(decomposed).not.toBe(precomposed);
    const result = normalizeVietnameseName(decomposed);
    expect(result).toEqual({ valid: true, value: precomposed });
    expect(result.valid && result.value.normalize('NFC')).toBe(result.valid && result.value);
  });

  it('trims and collapses spaces', () => {
    expect(normalizeVietnameseName('  Trần   Văn\u00a0Bình ')).toEqual({
      valid: true,
      value: 'Trần Văn Bình',
    });
  });

  it('accepts apostrophes and hyphens of ethnic-minority names', () => {
    expect(normalizeVietnameseName("H'Hen Niê")).toMatchObject({ valid: true });
    expect(normalizeVietnameseName('Ksor Y-Đhăm')).toMatchObject({ valid: true });
  });

  it.each([
    ['Lê\u0000Văn', 'NAME_CONTROL_CHARACTER'],
    ['Lê\tVăn', 'NAME_CONTROL_CHARACTER'],
    ['Lê\u200bVăn', 'NAME_CONTROL_CHARACTER'],
    ['Phạm Văn 2', 'NAME_DIGIT'],
    ['   ', 'NAME_EMPTY'],
    ['Lê Văn @', 'NAME_INVALID_CHARACTER'],
    ["'-", 'NAME_INVALID_CHARACTER'],
    ["Lê ' Văn", 'NAME_INVALID_CHARACTER'],
    ['Lê- Văn', 'NAME_INVALID_CHARACTER'],
    ['Nguyễn Văn Аn', 'NAME_NOT_LATIN'], // Cyrillic А
    ['Иван Петров', 'NAME_NOT_LATIN'],
    ['李 小龍', 'NAME_NOT_LATIN'],
    ['Ằ'.repeat(MAX_NAME_LENGTH + 1), 'NAME_TOO_LONG'],
  ])('rejects %j as %s', (raw, code) => {
    expect(normalizeVietnameseName(raw)).toMatchObject({ valid: false, code });
  });

  it('counts the length after normalisation, so a decomposed name is not penalised', () => {
    const name = 'Ằ'.repeat(MAX_NAME_LENGTH);
    expect(normalizeVietnameseName(name.normalize('NFD'))).toMatchObject({ valid: true });
  });

  it('throws a ValidationError naming the field', () => {
    expect(() => assertVietnameseName('Bé 3', 'names.given')).toThrow(
      expect.objectContaining({
        code: 'NAME_INVALID',
        fields: [expect.objectContaining({ path: 'names.given', code: 'NAME_DIGIT' })],
      }),
    );
  });
});
