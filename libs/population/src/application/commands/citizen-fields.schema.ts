import { z } from 'zod';
import {
  findCommune,
  normalizeVietnameseName,
  resolveCommuneCode,
  validatePersonalId,
} from '@bus/contracts';
import { isIsoDate, vietnamToday } from '../../domain/civil-dates';

/**
 * Field schemas shared by the commands. Each failure carries a stable code in
 * `params.code`, which the HTTP edge turns into a field-level 400.
 */
const fail = (ctx: z.RefinementCtx, code: string, message: string) =>
  ctx.addIssue({ code: 'custom', message, params: { code } });

/** No control characters anywhere in free text (they break logs, CSV exports and terminals). */
const CONTROL = /\p{Cc}/u;

export const personalIdField = z
  .string()
  .max(32)
  .superRefine((value, ctx) => {
    const result = validatePersonalId(value);
    if (!result.valid) for (const f of result.failures) fail(ctx, f.code, f.message);
  });

export const dateField = z
  .string()
  .max(10)
  .refine(isIsoDate, {
    message: 'must be a calendar date yyyy-mm-dd',
    params: { code: 'DATE_FORMAT' },
  });

/** A civil-status date cannot be in the future (Vietnam's calendar day). */
export const pastDateField = dateField.refine((value) => value <= vietnamToday(), {
  message: 'must not be in the future',
  params: { code: 'DATE_IN_FUTURE' },
});

export const nameField = z
  .string()
  .max(400)
  .transform((raw, ctx) => {
    const result = normalizeVietnameseName(raw);
    if (result.valid) return result.value;
    fail(ctx, result.code, result.message);
    return z.NEVER;
  });

/** Only communes in the 2025 code list shipped by @bus/contracts are accepted. */
export const communeCodeField = z.string().superRefine((value, ctx) => {
  if (!/^\d{5}$/.test(value)) fail(ctx, 'COMMUNE_FORMAT', 'must be a 5-digit commune code');
  else if (findCommune(value) === undefined)
    fail(ctx, 'COMMUNE_UNKNOWN', 'is not a known commune code');
});

/** A 2025 commune code, and the pre-reform code it was converted from, if any. */
export interface ConvertedCommuneCode {
  readonly code: string;
  readonly legacyCode: string | null;
}

/**
 * Where old records come in (initial loads, corrections), a commune code in force before
 * 1 July 2025 is accepted too and converted to the 2025 commune it became (resolutions
 * 1654-1687/NQ-UBTVQH15). An old commune split between several new ones cannot be
 * converted: refused with the candidates, so the sender picks the right one.
 */
export const communeCodeOrLegacyField = z.string().transform((value, ctx): ConvertedCommuneCode => {
  if (!/^\d{5}$/.test(value)) {
    fail(ctx, 'COMMUNE_FORMAT', 'must be a 5-digit commune code');
    return z.NEVER;
  }
  const resolved = resolveCommuneCode(value);
  switch (resolved.status) {
    case 'current':
      return { code: value, legacyCode: null };
    case 'converted':
      return { code: resolved.commune.code, legacyCode: value };
    case 'split': {
      const candidates = resolved.candidates.map((c) => `${c.code} (${c.name})`).join(', ');
      fail(
        ctx,
        'COMMUNE_SPLIT',
        `is a commune code from before 1 July 2025 whose commune was split between ${candidates}: send the 2025 code of the address`,
      );
      return z.NEVER;
    }
    case 'unknown':
      fail(ctx, 'COMMUNE_UNKNOWN', 'is not a known commune code (2025 or earlier)');
      return z.NEVER;
  }
});

/** The 2025 code only, for fields that keep no trace of the old one. */
export const currentOrLegacyCommuneCodeField = communeCodeOrLegacyField.transform((c) => c.code);

/** Free text: stored verbatim (parameterised SQL), so quotes and SQL keywords are harmless. */
export const freeTextField = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(max)
    .refine((value) => !CONTROL.test(value), {
      message: 'contains a control character',
      params: { code: 'CONTROL_CHARACTER' },
    });

export const genderField = z.enum(['MALE', 'FEMALE']);

export const nationalityField = z
  .string()
  .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' })
  .default('VN');

export const residenceField = z.object({
  communeCode: communeCodeField,
  address: freeTextField(300),
  since: pastDateField,
});

export const reasonField = freeTextField(500).optional();
