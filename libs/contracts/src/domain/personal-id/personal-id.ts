import { randomInt } from 'node:crypto';
import { ConflictError, ErrorCode, ValidationError } from '@bus/platform/pure';
import { isLegacyProvincePrefix } from '../admin-units/administrative-units';

/**
 * The 12-digit personal ID number (số định danh cá nhân, Law on Identification 2023 art. 12;
 * structure from Decree 137/2015/NĐ-CP art. 13 and Circular 07/2016/TT-BCA art. 7, then
 * Circular 59/2021/TT-BCA, which kept it; Decree 70/2024/NĐ-CP no longer restates it):
 *   PPP  "mã tỉnh, thành phố trực thuộc trung ương hoặc mã quốc gia nơi công dân đăng ký
 *        khai sinh": the province of birth registration (legacy 63-province table, 001-096)
 *        or, for a birth registered abroad, the code of that country (see below)
 *   C    century and gender: 1900s 0/1, 2000s 2/3, 2100s 4/5, 2200s 6/7, 2300s 8/9 (even = male)
 *   YY   the last two digits of the birth year
 *   RRRRRR random
 */
export type Gender = 'MALE' | 'FEMALE';

export type PersonalIdFailureCode =
  | 'ID_FORMAT'
  | 'ID_PROVINCE_UNKNOWN'
  | 'ID_CENTURY_MISMATCH'
  | 'ID_GENDER_MISMATCH'
  | 'ID_YEAR_MISMATCH'
  | 'ID_BIRTH_YEAR_OUT_OF_RANGE';

export interface PersonalIdFailure {
  readonly code: PersonalIdFailureCode;
  readonly message: string;
}

export interface ParsedPersonalId {
  readonly value: string;
  /** The first 3 digits: a legacy province code, or a country code when registered abroad. */
  readonly provincePrefix: string;
  /** Where the birth was registered: a province of Viet Nam, or abroad (country code). */
  readonly birthRegistration: 'PROVINCE' | 'ABROAD';
  readonly gender: Gender;
  /** The full birth year encoded by the century digit and the two year digits. */
  readonly birthYear: number;
  readonly serial: string;
}

/** What the holder's record says; the number must agree with it. */
export interface PersonFacts {
  /** ISO date `YYYY-MM-DD`, or just the year. */
  readonly dateOfBirth: string | number;
  readonly gender: Gender;
}

export type PersonalIdValidation =
  | { readonly valid: true; readonly parsed: ParsedPersonalId }
  | { readonly valid: false; readonly failures: readonly PersonalIdFailure[] };

export const MIN_BIRTH_YEAR = 1900;
export const MAX_BIRTH_YEAR = 2399;

const TWELVE_DIGITS = /^[0-9]{12}$/;

/**
 * Province codes take 001-096 of the 000-099 block; a prefix of 100 or more is read as the
 * code of the country where the birth was registered (a Vietnamese citizen born and
 * registered abroad, at a representative mission). The country-code table itself (an annex
 * of the circular) could not be confirmed from a public source, so any country code is
 * accepted; an unused prefix below 100 is still refused as ID_PROVINCE_UNKNOWN.
 */
const FIRST_COUNTRY_PREFIX = 100;

/** True when the 3-digit prefix names a country of birth registration, not a province. */
export function isCountryPrefix(prefix: string): boolean {
  return /^[0-9]{3}$/.test(prefix) && Number(prefix) >= FIRST_COUNTRY_PREFIX;
}

function birthYearOf(dateOfBirth: string | number): number {
  return typeof dateOfBirth === 'number' ? dateOfBirth : Number(dateOfBirth.slice(0, 4));
}

/** The century-and-gender digit for a birth year and gender. */
export function centuryGenderDigit(birthYear: number, gender: Gender): number {
  if (!Number.isInteger(birthYear) || birthYear < MIN_BIRTH_YEAR || birthYear > MAX_BIRTH_YEAR) {
    throw new ValidationError(
      ErrorCode.ID_BIRTH_YEAR_OUT_OF_RANGE,
      `birth year ${birthYear} is outside ${MIN_BIRTH_YEAR}-${MAX_BIRTH_YEAR}`,
    );
  }
  return (Math.floor(birthYear / 100) - 19) * 2 + (gender === 'FEMALE' ? 1 : 0);
}

/** Reads the parts of a well-formed number; undefined when it is not 12 digits. */
export function parsePersonalId(value: string): ParsedPersonalId | undefined {
  if (!TWELVE_DIGITS.test(value)) return undefined;
  const centuryDigit = Number(value[3]);
  return {
    value,
    provincePrefix: value.slice(0, 3),
    birthRegistration: isCountryPrefix(value.slice(0, 3)) ? 'ABROAD' : 'PROVINCE',
    gender: centuryDigit % 2 === 0 ? 'MALE' : 'FEMALE',
    birthYear: (19 + Math.floor(centuryDigit / 2)) * 100 + Number(value.slice(4, 6)),
    serial: value.slice(6),
  };
}

/**
 * Validates a personal ID number; with `person`, also checks it against the holder's
 * date of birth and gender. Every failure is reported, each with its own code.
 */
export function validatePersonalId(value: string, person?: PersonFacts): PersonalIdValidation {
  const parsed = parsePersonalId(value);
  if (parsed === undefined) {
    return {
      valid: false,
      failures: [{ code: 'ID_FORMAT', message: 'must be exactly 12 digits' }],
    };
  }
  const failures: PersonalIdFailure[] = [];
  if (parsed.birthRegistration === 'PROVINCE' && !isLegacyProvincePrefix(parsed.provincePrefix)) {
    failures.push({
      code: ErrorCode.ID_PROVINCE_UNKNOWN,
      message: `province code ${parsed.provincePrefix} is not in the legacy province table (001-096) nor a country code (100 and above)`,
    });
  }
  if (person !== undefined) {
    const year = birthYearOf(person.dateOfBirth);
    if (!Number.isInteger(year) || year < MIN_BIRTH_YEAR || year > MAX_BIRTH_YEAR) {
      failures.push({
        code: ErrorCode.ID_BIRTH_YEAR_OUT_OF_RANGE,
        message: `birth year ${String(person.dateOfBirth)} is outside ${MIN_BIRTH_YEAR}-${MAX_BIRTH_YEAR}`,
      });
    } else {
      const century = Math.floor(year / 100);
      if (Math.floor(parsed.birthYear / 100) !== century) {
        failures.push({
          code: 'ID_CENTURY_MISMATCH',
          message: `digit 4 (${value[3]}) encodes the ${Math.floor(parsed.birthYear / 100)}00s but the birth year is ${year}`,
        });
      }
      if (parsed.gender !== person.gender) {
        failures.push({
          code: 'ID_GENDER_MISMATCH',
          message: `digit 4 (${value[3]}) encodes ${parsed.gender} but the record says ${person.gender}`,
        });
      }
      if (parsed.birthYear % 100 !== year % 100) {
        failures.push({
          code: 'ID_YEAR_MISMATCH',
          message: `digits 5-6 (${value.slice(4, 6)}) do not match the birth year ${year}`,
        });
      }
    }
  }
  return failures.length === 0 ? { valid: true, parsed } : { valid: false, failures };
}

/** Throws a ValidationError (code `PERSONAL_ID_INVALID`) listing every failure. */
export function assertValidPersonalId(
  value: string,
  person?: PersonFacts,
  path = 'personalId',
): ParsedPersonalId {
  const result = validatePersonalId(value, person);
  if (result.valid) return result.parsed;
  throw new ValidationError(
    ErrorCode.PERSONAL_ID_INVALID,
    `Invalid personal ID number: ${result.failures.map((f) => f.code).join(', ')}`,
    { fields: result.failures.map((f) => ({ path, code: f.code, message: f.message })) },
  );
}

export interface NewPersonalIdSpec {
  /** 3-digit province-of-birth-registration code (legacy table), or country code (100+). */
  readonly provincePrefix: string;
  readonly birthYear: number;
  readonly gender: Gender;
}

export interface PersonalIdGeneratorOptions {
  /**
   * True when a number was ever issued, including cancelled ones: a cancelled number
   * stays on the record and is never reused.
   */
  readonly isTaken: (candidate: string) => boolean;
  /** Uniform integer in [0, maxExclusive); crypto-strong by default. */
  readonly random?: (maxExclusive: number) => number;
  readonly maxAttempts?: number;
}

/** One candidate by the rules; uniqueness is the caller's (use `newPersonalId` or a DB constraint). */
export function randomPersonalId(
  spec: NewPersonalIdSpec,
  random: (maxExclusive: number) => number = randomInt,
): string {
  // A reissue keeps the prefix of the old number, a country code included.
  if (!isLegacyProvincePrefix(spec.provincePrefix) && !isCountryPrefix(spec.provincePrefix)) {
    throw new ValidationError(
      ErrorCode.ID_PROVINCE_UNKNOWN,
      `province code ${spec.provincePrefix} is not in the legacy province table (001-096) nor a country code (100 and above)`,
    );
  }
  const digit = centuryGenderDigit(spec.birthYear, spec.gender);
  const year = String(spec.birthYear % 100).padStart(2, '0');
  const serial = String(random(1_000_000)).padStart(6, '0');
  return `${spec.provincePrefix}${digit}${year}${serial}`;
}

/** A new number that `isTaken` has never seen; throws ConflictError when none is found. */
export function newPersonalId(
  spec: NewPersonalIdSpec,
  options: PersonalIdGeneratorOptions,
): string {
  const attempts = options.maxAttempts ?? 1_000;
  for (let i = 0; i < attempts; i++) {
    const candidate = randomPersonalId(spec, options.random);
    if (!options.isTaken(candidate)) return candidate;
  }
  throw new ConflictError(
    ErrorCode.PERSONAL_ID_SPACE_EXHAUSTED,
    `No free personal ID number found for ${spec.provincePrefix}/${spec.birthYear} after ${attempts} attempts`,
  );
}
