import { describe, expect, it } from 'vitest';
import { BusError } from '@bus/platform/pure';
import {
  assertValidPersonalId,
  centuryGenderDigit,
  newPersonalId,
  parsePersonalId,
  randomPersonalId,
  validatePersonalId,
} from './personal-id';

function failureCodes(value: string, person?: Parameters<typeof validatePersonalId>[1]) {
  const result = validatePersonalId(value, person);
  return result.valid ? [] : result.failures.map((f) => f.code);
}

describe('validatePersonalId', () => {
  it.each([
    ['001085012345', '1985-04-30', 'MALE'],
    ['079192001122', '1992-12-01', 'FEMALE'],
    ['066203123456', '2003-07-15', 'MALE'],
    ['054310654321', '2010-01-09', 'FEMALE'],
    ['096400000001', '2100-01-01', 'MALE'],
  ] as const)('accepts %s for a person born %s (%s)', (id, dateOfBirth, gender) => {
    expect(validatePersonalId(id, { dateOfBirth, gender })).toMatchObject({ valid: true });
  });

  it('reads the parts of a number', () => {
    expect(parsePersonalId('079192001122')).toEqual({
      value: '079192001122',
      provincePrefix: '079',
      birthRegistration: 'PROVINCE',
      gender: 'FEMALE',
      birthYear: 1992,
      serial: '001122',
    });
  });

  it.each(['', '07919200112', '0791920011223', '07919200112a', '０７９１９２００１１２２'])(
    'rejects %j as ID_FORMAT',
    (id) => {
      expect(failureCodes(id)).toEqual(['ID_FORMAT']);
    },
  );

  // "mã tỉnh ... hoặc mã quốc gia nơi công dân đăng ký khai sinh" (Decree 137/2015 art. 13,
  // Circular 07/2016/TT-BCA art. 7): a birth registered abroad carries a country code.
  it.each([
    ['100085012345', '1985-04-30', 'MALE'],
    ['418303123456', '2003-07-15', 'FEMALE'],
    ['999310654321', '2010-01-09', 'FEMALE'],
  ] as const)(
    'accepts %s, a birth registered abroad (country-code prefix)',
    (id, dateOfBirth, gender) => {
      expect(validatePersonalId(id, { dateOfBirth, gender })).toMatchObject({
        valid: true,
        parsed: { birthRegistration: 'ABROAD', provincePrefix: id.slice(0, 3) },
      });
    },
  );

  it.each(['000085012345', '003085012345', '097085012345', '099085012345'])(
    'rejects the unknown province prefix of %s',
    (id) => {
      expect(failureCodes(id)).toEqual(['ID_PROVINCE_UNKNOWN']);
    },
  );

  it('rejects a century digit that disagrees with the birth year', () => {
    expect(failureCodes('001285012345', { dateOfBirth: '1985-04-30', gender: 'MALE' })).toEqual([
      'ID_CENTURY_MISMATCH',
    ]);
  });

  it('rejects a gender digit that disagrees with the record', () => {
    expect(failureCodes('001185012345', { dateOfBirth: '1985-04-30', gender: 'MALE' })).toEqual([
      'ID_GENDER_MISMATCH',
    ]);
    expect(failureCodes('001203012345', { dateOfBirth: '2003-02-01', gender: 'FEMALE' })).toEqual([
      'ID_GENDER_MISMATCH',
    ]);
  });

  it('rejects year digits that disagree with the birth year', () => {
    expect(failureCodes('001086012345', { dateOfBirth: '1985-04-30', gender: 'MALE' })).toEqual([
      'ID_YEAR_MISMATCH',
    ]);
  });

  it('rejects a birth year the scheme cannot encode', () => {
    expect(failureCodes('001085012345', { dateOfBirth: '1885-04-30', gender: 'MALE' })).toEqual([
      'ID_BIRTH_YEAR_OUT_OF_RANGE',
    ]);
  });

  it('reports every failure at once', () => {
    expect(failureCodes('097390012345', { dateOfBirth: '1985-04-30', gender: 'MALE' })).toEqual([
      'ID_PROVINCE_UNKNOWN',
      'ID_CENTURY_MISMATCH',
      'ID_GENDER_MISMATCH',
      'ID_YEAR_MISMATCH',
    ]);
  });

  it('throws a ValidationError with field-level issues', () => {
    try {
      assertValidPersonalId('001185012345', { dateOfBirth: 1985, gender: 'MALE' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BusError);
      expect(error).toMatchObject({
        code: 'PERSONAL_ID_INVALID',
        kind: 'validation',
        fields: [{ path: 'personalId', code: 'ID_GENDER_MISMATCH' }],
      });
    }
  });
});

describe('centuryGenderDigit', () => {
  it.each([
    [1900, 'MALE', 0],
    [1999, 'FEMALE', 1],
    [2000, 'MALE', 2],
    [2025, 'FEMALE', 3],
    [2100, 'MALE', 4],
    [2299, 'FEMALE', 7],
    [2300, 'MALE', 8],
    [2399, 'FEMALE', 9],
  ] as const)('%i %s -> %i', (year, gender, digit) => {
    expect(centuryGenderDigit(year, gender)).toBe(digit);
  });
});

describe('generator', () => {
  it('generates numbers that validate against the same facts', () => {
    for (const [birthYear, gender] of [
      [1950, 'FEMALE'],
      [2007, 'MALE'],
      [2025, 'FEMALE'],
    ] as const) {
      const id = randomPersonalId({ provincePrefix: '066', birthYear, gender });
      expect(validatePersonalId(id, { dateOfBirth: birthYear, gender })).toMatchObject({
        valid: true,
      });
      expect(id.startsWith('066')).toBe(true);
    }
  });

  it('never returns a number already taken, cancelled ones included', () => {
    const taken = new Set<string>();
    const serials = [5, 5, 7, 5, 7, 9];
    const random = () => serials.shift() ?? 0;
    const spec = { provincePrefix: '001', birthYear: 2025, gender: 'MALE' } as const;
    const issued = [1, 2, 3].map(() => {
      const id = newPersonalId(spec, { isTaken: (c) => taken.has(c), random });
      taken.add(id);
      return id;
    });
    expect(issued).toEqual(['001225000005', '001225000007', '001225000009']);
  });

  it('gives up with a ConflictError when no free number is found', () => {
    expect(() =>
      newPersonalId(
        { provincePrefix: '001', birthYear: 2025, gender: 'MALE' },
        { isTaken: () => true, maxAttempts: 3 },
      ),
    ).toThrow(expect.objectContaining({ code: 'PERSONAL_ID_SPACE_EXHAUSTED' }));
  });

  it('keeps a country-code prefix (a reissue of a number registered abroad)', () => {
    const id = randomPersonalId({ provincePrefix: '418', birthYear: 2003, gender: 'FEMALE' });
    expect(id).toMatch(/^418303\d{6}$/);
  });

  it('refuses a province prefix outside the legacy table', () => {
    expect(() =>
      randomPersonalId({ provincePrefix: '003', birthYear: 2000, gender: 'MALE' }),
    ).toThrow(expect.objectContaining({ code: 'ID_PROVINCE_UNKNOWN' }));
  });
});
