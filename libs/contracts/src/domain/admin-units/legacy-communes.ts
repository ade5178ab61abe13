import legacyData from './data/legacy-communes-2025.json';
import { type Commune, findCommune } from './administrative-units';

/**
 * A commune code in force until 30 June 2025 that no 2025 commune kept, and what it became
 * (resolutions 1654-1687/NQ-UBTVQH15; see data/legacy-communes-2025.json for the sources).
 */
export interface LegacyCommune {
  readonly code: string;
  /** The legacy (63-province) province code it belonged to. */
  readonly legacyProvinceCode: string;
  /** One code: merged into that commune. Several: split between them. */
  readonly newCodes: readonly string[];
}

const legacyByCode = new Map<string, LegacyCommune>(
  Object.entries(legacyData.communes as Record<string, Record<string, string[]>>).flatMap(
    ([legacyProvinceCode, rows]) =>
      Object.entries(rows).map(
        ([code, newCodes]) => [code, { code, legacyProvinceCode, newCodes }] as const,
      ),
  ),
);

export const LEGACY_COMMUNE_COUNT = legacyByCode.size;

export const LEGACY_COMMUNE_SOURCES = legacyData.sources;

export function findLegacyCommune(code: string): LegacyCommune | undefined {
  return legacyByCode.get(code);
}

export type CommuneCodeResolution =
  | { readonly status: 'current'; readonly commune: Commune }
  /** A pre-reform code, converted: `commune` is the 2025 unit, `legacyCode` what was sent. */
  | { readonly status: 'converted'; readonly commune: Commune; readonly legacyCode: string }
  /** A pre-reform code split between several 2025 units: the address must say which. */
  | {
      readonly status: 'split';
      readonly legacyCode: string;
      readonly candidates: readonly Commune[];
    }
  | { readonly status: 'unknown' };

/**
 * Reads a 5-digit commune code as a 2025 code first (a new commune keeps the code of one of
 * the old communes merged into it, so such a code means the new unit), then as a legacy one.
 */
export function resolveCommuneCode(code: string): CommuneCodeResolution {
  const commune = findCommune(code);
  if (commune !== undefined) return { status: 'current', commune };
  const legacy = legacyByCode.get(code);
  if (legacy === undefined) return { status: 'unknown' };
  const targets = legacy.newCodes.map((c) => findCommune(c)!);
  return targets.length === 1
    ? { status: 'converted', commune: targets[0]!, legacyCode: code }
    : { status: 'split', legacyCode: code, candidates: targets };
}
