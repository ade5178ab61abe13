import { ErrorCode, ValidationError } from '@bus/platform';
import { findProvince } from '@bus/contracts';

/**
 * The 3-digit "province of birth registration" prefix for a birth registered in a 2025
 * province: the legacy code of the province whose code the merged unit kept (listed
 * first in `mergedFrom`), since numbers keep using the legacy 001-096 table.
 */
export function idPrefixOfCommune(provinceCode: string): string {
  const prefix = findProvince(provinceCode)?.mergedFrom[0];
  if (prefix === undefined) {
    throw new ValidationError(
      ErrorCode.ID_PROVINCE_UNKNOWN,
      `no ID prefix for province ${provinceCode}`,
    );
  }
  return prefix;
}
