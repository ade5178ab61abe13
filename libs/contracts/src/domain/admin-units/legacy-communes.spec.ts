import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findCommune, findLegacyProvince } from './administrative-units';
import legacyData from './data/legacy-communes-2025.json';
import { findLegacyCommune, LEGACY_COMMUNE_COUNT, resolveCommuneCode } from './legacy-communes';

describe('legacy commune codes (before 1 July 2025)', () => {
  it('matches the checksum the data file records', () => {
    const digest = createHash('sha256').update(JSON.stringify(legacyData.communes)).digest('hex');
    expect(legacyData.checksum).toBe(`sha256:${digest}`);
    expect(LEGACY_COMMUNE_COUNT).toBe(legacyData.count);
  });

  it('points every legacy code at 2025 communes of the province its old province merged into', () => {
    for (const [legacyProvince, rows] of Object.entries(legacyData.communes)) {
      const successor = findLegacyProvince(legacyProvince.padStart(3, '0'))?.newCode;
      expect(successor, legacyProvince).toBeDefined();
      for (const [code, newCodes] of Object.entries(rows as Record<string, string[]>)) {
        expect(findCommune(code), `${code} is also a current code`).toBeUndefined();
        for (const target of newCodes) expect(findCommune(target)?.provinceCode).toBe(successor);
      }
    }
  });

  it('reads a current code as current, even when it was also a legacy code', () => {
    // 00004 was Phường Trúc Bạch; Phường Ba Đình kept its code.
    expect(resolveCommuneCode('00004')).toMatchObject({
      status: 'current',
      commune: { name: 'Phường Ba Đình' },
    });
  });

  it('converts a legacy code merged whole into one new commune', () => {
    // 00001 Phường Phúc Xá -> Phường Hồng Hà (1656/NQ-UBTVQH15).
    expect(resolveCommuneCode('00001')).toEqual({
      status: 'converted',
      legacyCode: '00001',
      commune: { code: '00097', name: 'Phường Hồng Hà', provinceCode: '01' },
    });
    // A correction checked against the resolution: 30622 Xã Tân Phú (An Giang) -> Xã Vĩnh An.
    expect(resolveCommuneCode('30622')).toMatchObject({
      status: 'converted',
      commune: { code: '30604', provinceCode: '91' },
    });
  });

  it('names the candidates of a legacy code split between new communes', () => {
    // 00007 Phường Cống Vị was split between Phường Ngọc Hà and Phường Giảng Võ.
    expect(findLegacyCommune('00007')).toEqual({
      code: '00007',
      legacyProvinceCode: '01',
      newCodes: ['00008', '00025'],
    });
    expect(resolveCommuneCode('00007')).toMatchObject({
      status: 'split',
      legacyCode: '00007',
      candidates: [{ code: '00008' }, { code: '00025' }],
    });
  });

  it('answers unknown for a code in neither list', () => {
    expect(resolveCommuneCode('99999')).toEqual({ status: 'unknown' });
  });
});
