import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkCommune,
  COMMUNES,
  communesOf,
  currentProvinceOfIdPrefix,
  findLegacyProvince,
  findProvince,
  LEGACY_PROVINCES,
  PROVINCES,
  PROVINCES_WITH_COMMUNES,
} from './administrative-units';
import communesData from './data/communes-2025.json';
import officialTotals from './data/sources/commune-totals.json';

// The 34 codes of Decision 19/2025/QĐ-TTg (NSO dispatch 915/CTK-CSCL).
const EXPECTED_34: Record<string, string> = {
  '01': 'Thành phố Hà Nội',
  '04': 'Tỉnh Cao Bằng',
  '08': 'Tỉnh Tuyên Quang',
  '11': 'Tỉnh Điện Biên',
  '12': 'Tỉnh Lai Châu',
  '14': 'Tỉnh Sơn La',
  '15': 'Tỉnh Lào Cai',
  '19': 'Tỉnh Thái Nguyên',
  '20': 'Tỉnh Lạng Sơn',
  '22': 'Tỉnh Quảng Ninh',
  '24': 'Tỉnh Bắc Ninh',
  '25': 'Tỉnh Phú Thọ',
  '31': 'Thành phố Hải Phòng',
  '33': 'Tỉnh Hưng Yên',
  '37': 'Tỉnh Ninh Bình',
  '38': 'Tỉnh Thanh Hóa',
  '40': 'Tỉnh Nghệ An',
  '42': 'Tỉnh Hà Tĩnh',
  '44': 'Tỉnh Quảng Trị',
  '46': 'Thành phố Huế',
  '48': 'Thành phố Đà Nẵng',
  '51': 'Tỉnh Quảng Ngãi',
  '52': 'Tỉnh Gia Lai',
  '56': 'Tỉnh Khánh Hòa',
  '66': 'Tỉnh Đắk Lắk',
  '68': 'Tỉnh Lâm Đồng',
  '75': 'Tỉnh Đồng Nai',
  '79': 'Thành phố Hồ Chí Minh',
  '80': 'Tỉnh Tây Ninh',
  '82': 'Tỉnh Đồng Tháp',
  '86': 'Tỉnh Vĩnh Long',
  '91': 'Tỉnh An Giang',
  '92': 'Thành phố Cần Thơ',
  '96': 'Tỉnh Cà Mau',
};

describe('provinces after the 2025 reform', () => {
  it('has exactly the 34 units', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(Object.fromEntries(PROVINCES.map((p) => [p.code, p.name]))).toEqual(EXPECTED_34);
  });

  it.each(Object.entries(EXPECTED_34))('finds %s %s', (code, name) => {
    expect(findProvince(code)?.name).toBe(name);
  });

  it('keeps six centrally governed cities', () => {
    expect(PROVINCES.filter((p) => p.kind === 'city').map((p) => p.code)).toEqual([
      '01',
      '31',
      '46',
      '48',
      '79',
      '92',
    ]);
  });

  it('stores names in NFC', () => {
    for (const p of PROVINCES) expect(p.name).toBe(p.name.normalize('NFC'));
  });
});

describe('legacy provinces and their mapping', () => {
  it('has the 63 legacy provinces with distinct 3-digit prefixes in 001-096', () => {
    expect(LEGACY_PROVINCES).toHaveLength(63);
    const prefixes = new Set(LEGACY_PROVINCES.map((p) => p.idPrefix));
    expect(prefixes.size).toBe(63);
    for (const prefix of prefixes) {
      expect(prefix).toMatch(/^0\d\d$/);
      expect(Number(prefix)).toBeGreaterThanOrEqual(1);
      expect(Number(prefix)).toBeLessThanOrEqual(96);
    }
  });

  it('maps every legacy province onto one of the 34, and each of the 34 onto its parts', () => {
    for (const legacy of LEGACY_PROVINCES) {
      const current = findProvince(legacy.newCode);
      expect(current, legacy.name).toBeDefined();
      expect(current?.mergedFrom).toContain(legacy.idPrefix);
    }
    expect(PROVINCES.flatMap((p) => p.mergedFrom).sort()).toEqual(
      LEGACY_PROVINCES.map((p) => p.idPrefix).sort(),
    );
  });

  it('explains an ID prefix issued before the reform', () => {
    expect(findLegacyProvince('054')?.name).toBe('Tỉnh Phú Yên');
    expect(currentProvinceOfIdPrefix('054')?.name).toBe('Tỉnh Đắk Lắk');
    expect(currentProvinceOfIdPrefix('074')?.code).toBe('79');
    expect(currentProvinceOfIdPrefix('089')?.code).toBe('91');
    expect(currentProvinceOfIdPrefix('003')).toBeUndefined();
  });
});

describe('communes', () => {
  it('ships all 3,321 units, each province with the count its resolution states', () => {
    expect(COMMUNES).toHaveLength(3321);
    expect(new Set(COMMUNES.map((c) => c.code)).size).toBe(3321);
    expect([...PROVINCES_WITH_COMMUNES].sort()).toEqual(PROVINCES.map((p) => p.code).sort());
    for (const { provinceCode, resolution, total } of officialTotals.totals) {
      expect(communesOf(provinceCode), `${provinceCode} (${resolution})`).toHaveLength(total);
    }
  });

  it('matches the checksum the data file records', () => {
    const digest = createHash('sha256').update(JSON.stringify(communesData.communes)).digest('hex');
    expect(communesData.checksum).toBe(`sha256:${digest}`);
  });

  it('stores 5-digit codes and NFC names', () => {
    for (const c of COMMUNES) {
      expect(c.code).toMatch(/^\d{5}$/);
      expect(c.name).toBe(c.name.normalize('NFC'));
      expect(c.name).toMatch(/^(Phường|Xã|Đặc khu) \S/);
    }
  });

  it('checks a commune against its province', () => {
    expect(checkCommune('01', '00070')).toMatchObject({
      status: 'valid',
      commune: { name: 'Phường Hoàn Kiếm' },
    });
    expect(checkCommune('66', '24133')).toMatchObject({
      status: 'valid',
      commune: { name: 'Phường Buôn Ma Thuột' },
    });
    expect(checkCommune('79', '26740')).toMatchObject({
      status: 'valid',
      commune: { name: 'Phường Sài Gòn' },
    });
    expect(checkCommune('96', '31825')).toMatchObject({
      status: 'valid',
      commune: { name: 'Phường Bạc Liêu' },
    });
    expect(checkCommune('79', '00070')).toMatchObject({ status: 'mismatch' });
    expect(checkCommune('01', '99999')).toEqual({ status: 'invalid', reason: 'COMMUNE_NOT_FOUND' });
    expect(checkCommune('08', '99999')).toEqual({ status: 'invalid', reason: 'COMMUNE_NOT_FOUND' });
    expect(checkCommune('01', '7')).toEqual({ status: 'invalid', reason: 'COMMUNE_FORMAT' });
    expect(checkCommune('02', '00715')).toEqual({ status: 'invalid', reason: 'PROVINCE_UNKNOWN' });
  });
});
