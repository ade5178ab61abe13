/**
 * Personal data never appears in clear in logs (Law 91/2025/QH15: minimisation). A
 * personal ID keeps its province prefix and last two digits, enough to correlate a log
 * line with a support ticket; names, dates of birth and death, addresses and the free-text
 * `detail` of a PostgreSQL error (it quotes the row: "Key (personal_id)=(…)") are removed.
 */
export function maskPersonalId(value: string): string {
  if (value.length <= 5) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 5)}${value.slice(-2)}`;
}

/** Fields that hold a personal ID number (a citizen's, a relative's, a successor's). */
export const PERSONAL_ID_FIELDS = [
  'personalId',
  'spouseId',
  'fatherId',
  'motherId',
  'childId',
  'childIds',
  'survivorId',
  'retiredId',
  'successorId',
  'predecessorId',
  'oldPersonalId',
  'newPersonalId',
  'idCardNumber',
  'taxCode',
  'holderId',
  'dependantCode',
  'aggregateId',
  'key',
] as const;

/** Fields removed whole: names, civil-status dates, addresses, error details. */
export const PERSONAL_DATA_FIELDS = [
  'fullName',
  'familyName',
  'middleName',
  'givenName',
  'formerName',
  'previousName',
  'dateOfBirth',
  'dateOfDeath',
  'birthDate',
  'deathDate',
  'address',
  'addressLine',
  'permanentResidence',
  'temporaryResidence',
  'residence',
  'hometown',
  'detail',
] as const;

const idFields = new Set<string>(PERSONAL_ID_FIELDS);
const dataFields = new Set<string>(PERSONAL_DATA_FIELDS);
const REDACTED = '[redacted]';
const MAX_DEPTH = 8;

/** Masks every 12-digit personal ID inside free text such as a request URL. */
export function maskPersonalIdsInText(text: string): string {
  return text.replace(/(?<!\d)\d{12}(?!\d)/g, maskPersonalId);
}

function maskIdValue(value: unknown): unknown {
  if (typeof value === 'string') return maskPersonalId(value);
  if (Array.isArray(value)) return value.map(maskIdValue);
  return value === null || value === undefined ? value : REDACTED;
}

/** An error as a plain object with its message masked; pino prints it like its own. */
function maskError(error: Error, depth: number): Record<string, unknown> {
  const own = Object.fromEntries(Object.entries(error));
  return {
    ...(maskDeep(own, depth) as Record<string, unknown>),
    type: error.name,
    message: maskPersonalIdsInText(error.message),
    ...(error.stack ? { stack: maskPersonalIdsInText(error.stack) } : {}),
    ...(error.cause !== undefined ? { cause: maskDeep(error.cause, depth + 1) } : {}),
  };
}

/**
 * The log object with personal data masked at any depth (arrays, nested events, error
 * causes): ID fields partly, personal-data fields whole, and any 12-digit run in any string.
 */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalIdsInText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (value instanceof Error) return maskError(value, depth + 1);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1));
  // Class instances (a request, a socket) are left to their pino serializers.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [field, item] of Object.entries(value)) {
    if (dataFields.has(field)) out[field] = item === null ? null : REDACTED;
    else if (idFields.has(field)) out[field] = maskIdValue(item);
    else out[field] = maskDeep(item, depth + 1);
  }
  return out;
}
