import communesData from './data/communes-2025.json';
import legacyData from './data/legacy-provinces.json';
import provincesData from './data/provinces-2025.json';

/** A province-level unit after the 2025 reform (34 units, 2-digit codes). */
export interface Province {
  readonly code: string;
  readonly name: string;
  readonly kind: 'city' | 'province';
  /** 3-digit ID-number prefixes (legacy provinces) merged into this one. */
  readonly mergedFrom: readonly string[];
}

/** One of the 63 provinces in force until 30 June 2025. */
export interface LegacyProvince {
  /** Province-of-birth-registration code in personal ID numbers (001-096). */
  readonly idPrefix: string;
  /** Legacy 2-digit province code. */
  readonly code: string;
  readonly name: string;
  /** The 2025 province it merged into. */
  readonly newCode: string;
}

/** A commune-level unit after the 2025 reform (5-digit code). */
export interface Commune {
  readonly code: string;
  readonly name: string;
  readonly provinceCode: string;
}

export const PROVINCES: readonly Province[] = provincesData.provinces.map((p) => ({
  code: p.code,
  name: p.name,
  kind: p.kind as Province['kind'],
  mergedFrom: p.mergedFrom,
}));

export const LEGACY_PROVINCES: readonly LegacyProvince[] = legacyData.provinces;

export const COMMUNES: readonly Commune[] = Object.entries(
  communesData.communes as Record<string, { code: string; name: string }[]>,
).flatMap(([provinceCode, rows]) => rows.map((row) => ({ ...row, provinceCode })));

/** Provinces whose full commune list is shipped: all 34 since the full catalogue (3,321 units). */
export const PROVINCES_WITH_COMMUNES: readonly string[] = Object.keys(communesData.communes);

/** Where each data set comes from, for reports and docs. */
export const ADMIN_UNIT_SOURCES = {
  provinces: provincesData.sources,
  legacyProvinces: legacyData.sources,
  communes: communesData.sources,
} as const;

const provinceByCode = new Map(PROVINCES.map((p) => [p.code, p]));
const legacyByPrefix = new Map(LEGACY_PROVINCES.map((p) => [p.idPrefix, p]));
const communeByCode = new Map(COMMUNES.map((c) => [c.code, c]));

export function findProvince(code: string): Province | undefined {
  return provinceByCode.get(code);
}

/** The legacy province of a 3-digit ID-number prefix (e.g. `054` Phú Yên). */
export function findLegacyProvince(idPrefix: string): LegacyProvince | undefined {
  return legacyByPrefix.get(idPrefix);
}

export function isLegacyProvincePrefix(idPrefix: string): boolean {
  return legacyByPrefix.has(idPrefix);
}

/** The 2025 province that now governs a legacy province (by its ID prefix). */
export function currentProvinceOfIdPrefix(idPrefix: string): Province | undefined {
  const legacy = legacyByPrefix.get(idPrefix);
  return legacy === undefined ? undefined : provinceByCode.get(legacy.newCode);
}

export function findCommune(code: string): Commune | undefined {
  return communeByCode.get(code);
}

export function communesOf(provinceCode: string): readonly Commune[] {
  return COMMUNES.filter((c) => c.provinceCode === provinceCode);
}

export type CommuneCheck =
  | { readonly status: 'valid'; readonly commune: Commune }
  | {
      readonly status: 'invalid';
      readonly reason: 'COMMUNE_FORMAT' | 'PROVINCE_UNKNOWN' | 'COMMUNE_NOT_FOUND';
    }
  | { readonly status: 'mismatch'; readonly commune: Commune }
  /** The province is real but its commune list is not shipped (cannot happen with the full catalogue). */
  | { readonly status: 'unknown' };

/** Checks that a commune code exists and belongs to the province, as far as the data goes. */
export function checkCommune(provinceCode: string, communeCode: string): CommuneCheck {
  if (!/^\d{5}$/.test(communeCode)) return { status: 'invalid', reason: 'COMMUNE_FORMAT' };
  if (!provinceByCode.has(provinceCode)) return { status: 'invalid', reason: 'PROVINCE_UNKNOWN' };
  const commune = communeByCode.get(communeCode);
  if (commune !== undefined) {
    return commune.provinceCode === provinceCode
      ? { status: 'valid', commune }
      : { status: 'mismatch', commune };
  }
  return PROVINCES_WITH_COMMUNES.includes(provinceCode)
    ? { status: 'invalid', reason: 'COMMUNE_NOT_FOUND' }
    : { status: 'unknown' };
}
