import { ErrorCode, ValidationError } from '@bus/platform/pure';

/** Longest accepted full name, in Unicode code points after NFC normalisation. */
export const MAX_NAME_LENGTH = 100;

export type NameFailureCode =
  | 'NAME_EMPTY'
  | 'NAME_TOO_LONG'
  | 'NAME_CONTROL_CHARACTER'
  | 'NAME_DIGIT'
  | 'NAME_NOT_LATIN'
  | 'NAME_INVALID_CHARACTER';

export type NameNormalisation =
  | { readonly valid: true; readonly value: string }
  | { readonly valid: false; readonly code: NameFailureCode; readonly message: string };

// Letters with their marks, spaces, and the apostrophe and hyphen found in the names of
// some ethnic groups (e.g. "H'Hen Niê", "Ksor H'Bơ").
const ALLOWED = /^[\p{L}\p{M} '\u2019-]+$/u;

// Civil Code 91/2015/QH13 art. 26(3): a name is in Vietnamese or another ethnic language of
// Vietnam, all written in the Latin-based national script (chữ Quốc ngữ and the ethnic
// scripts derived from it), and is not a number or a sign that is not a letter. So every
// letter is Latin (a Cyrillic "а" that looks like "a" is refused), and each word starts with
// a letter, with an apostrophe or hyphen only between letters ("H'Hen", "Y-Đhăm").
const LATIN_LETTER = /^[\p{Script=Latin}\p{M}]$/u;
const WORD = /^[\p{L}\p{M}]+(?:['\u2019-][\p{L}\p{M}]+)*$/u;

/**
 * Normalises a Vietnamese name to Unicode NFC (so "Nguyễn" typed with combining marks
 * equals the precomposed form), trims it and collapses runs of spaces.
 */
export function normalizeVietnameseName(raw: string): NameNormalisation {
  if (/\p{Cc}|\p{Cf}/u.test(raw)) {
    return {
      valid: false,
      code: 'NAME_CONTROL_CHARACTER',
      message: 'contains a control character',
    };
  }
  const value = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (value.length === 0) return { valid: false, code: 'NAME_EMPTY', message: 'must not be empty' };
  if (/\p{N}/u.test(value))
    return { valid: false, code: 'NAME_DIGIT', message: 'contains a digit' };
  if ([...value].length > MAX_NAME_LENGTH) {
    return {
      valid: false,
      code: 'NAME_TOO_LONG',
      message: `must be at most ${MAX_NAME_LENGTH} characters`,
    };
  }
  if (!ALLOWED.test(value)) {
    return {
      valid: false,
      code: 'NAME_INVALID_CHARACTER',
      message: 'may contain only letters, spaces, apostrophes and hyphens',
    };
  }
  if (
    ![...value].every(
      (c) => c === ' ' || c === "'" || c === '\u2019' || c === '-' || LATIN_LETTER.test(c),
    )
  ) {
    return {
      valid: false,
      code: 'NAME_NOT_LATIN',
      message: 'must be written in the Vietnamese (Latin) alphabet',
    };
  }
  if (!value.split(' ').every((word) => WORD.test(word))) {
    return {
      valid: false,
      code: 'NAME_INVALID_CHARACTER',
      message: 'each word must be letters, with an apostrophe or hyphen only between letters',
    };
  }
  return { valid: true, value };
}

/** Normalised name, or a ValidationError (code `NAME_INVALID`) naming the field. */
export function assertVietnameseName(raw: string, path = 'fullName'): string {
  const result = normalizeVietnameseName(raw);
  if (result.valid) return result.value;
  throw new ValidationError(ErrorCode.NAME_INVALID, `Invalid name in ${path}: ${result.message}`, {
    fields: [{ path, code: result.code, message: result.message }],
  });
}
