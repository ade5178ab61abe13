/**
 * Personal ID numbers never appear in full in logs (Law 91/2025/QH15:
 * minimisation). The province prefix and the last two digits stay, which is
 * enough to correlate a log line with a support ticket.
 */
export function maskPersonalId(value: string): string {
  if (value.length <= 5) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 5)}${value.slice(-2)}`;
}

/** Log fields that may hold a personal ID number, at the top level or one level down. */
export const PERSONAL_ID_FIELDS = [
  'personalId',
  'spouseId',
  'fatherId',
  'motherId',
  'survivorId',
  'retiredId',
  'oldPersonalId',
  'newPersonalId',
  'key',
] as const;

export const PERSONAL_ID_REDACT_PATHS: string[] = PERSONAL_ID_FIELDS.flatMap((field) => [
  field,
  `*.${field}`,
]);

export function maskLogValue(value: unknown): unknown {
  return typeof value === 'string' ? maskPersonalId(value) : '[redacted]';
}

/** Masks every 12-digit personal ID inside free text such as a request URL. */
export function maskPersonalIdsInText(text: string): string {
  return text.replace(/(?<!\d)\d{12}(?!\d)/g, maskPersonalId);
}
