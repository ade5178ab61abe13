import { describe, expect, it } from 'vitest';
import { maskAddress, maskName, maskPersonalData } from './personal-data-mask';

describe('maskPersonalData', () => {
  it('masks IDs, names, addresses and birth dates, keeps codes and flags', () => {
    const masked = maskPersonalData({
      personalId: '001203012345',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '1990-05-17',
      permanentAddress: '12 Lý Thường Kiệt, Phường Hoàn Kiếm, Hà Nội',
      provinceCode: '01',
      communeCode: '00070',
      deceased: false,
      version: 3,
    });
    expect(masked).toEqual({
      personalId: '001*******45',
      fullName: 'N***** V** A*',
      dateOfBirth: '1990-**-**',
      permanentAddress: '***, Hà Nội',
      provinceCode: '01',
      communeCode: '00070',
      deceased: false,
      version: 3,
    });
  });

  it('masks nested records, arrays and Avro union branches by the field name', () => {
    const masked = maskPersonalData({
      spouseId: { string: '079305001122' },
      members: [{ fatherId: '001203012345', name: 'Trần Thị B' }],
      note: 'holder 036099001234',
      other: '036099001234',
    }) as Record<string, unknown>;
    expect(masked.spouseId).toEqual({ string: '079*******22' });
    expect(masked.members).toEqual([{ fatherId: '001*******45', name: 'T*** T** B' }]);
    // Free text is not parsed; a value that is exactly an ID is masked wherever it sits.
    expect(masked.note).toBe('holder 036099001234');
    expect(masked.other).toBe('036*******34');
  });

  it('leaves scalars and null alone', () => {
    expect(maskPersonalData(null)).toBeNull();
    expect(maskPersonalData(42)).toBe(42);
  });

  it('has helpers usable on their own', () => {
    expect(maskName('An')).toBe('A*');
    expect(maskAddress('no commas here')).toBe('***');
  });
});
