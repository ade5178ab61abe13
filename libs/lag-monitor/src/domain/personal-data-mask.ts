import { maskPersonalId, PERSONAL_ID_FIELDS } from '@bus/platform/pure';

const ID_FIELDS = new Set<string>(PERSONAL_ID_FIELDS.map((f) => f.toLowerCase()));
const NAME_FIELD = /(^|_)(full)?name$|^(first|last|middle|given|family|sur)name$|name$/i;
const ADDRESS_FIELD = /address|street|houseNumber|hamlet|village/i;
const BIRTH_FIELD = /^(date_?of_?birth|birth_?date|dob)$/i;
const PHONE_EMAIL_FIELD = /phone|email|mobile/i;
/** A 12-digit personal ID, or a 9-digit legacy ID card number, wherever it appears. */
const BARE_ID = /^\d{9}$|^\d{12}$/;

/** "Nguyễn Văn An" -> "N***** V** A*": recognisable to the person, useless to a reader. */
export function maskName(name: string): string {
  return name
    .split(/(\s+)/)
    .map((part) =>
      /\s/.test(part) || part.length === 0
        ? part
        : `${[...part][0]}${'*'.repeat([...part].length - 1)}`,
    )
    .join('');
}

/** Keeps the last comma-separated part (the commune or province), masks the rest. */
export function maskAddress(address: string): string {
  const parts = address.split(',');
  if (parts.length < 2) return '***';
  return `***,${parts.at(-1)}`;
}

function maskString(field: string, value: string): string {
  const lower = field.toLowerCase();
  if (ID_FIELDS.has(lower) || (/id$/i.test(field) && BARE_ID.test(value)))
    return maskPersonalId(value);
  if (BIRTH_FIELD.test(field))
    return value.length >= 4 ? `${value.slice(0, 4)}${value.slice(4).replace(/\d/g, '*')}` : '****';
  if (ADDRESS_FIELD.test(field)) return maskAddress(value);
  if (PHONE_EMAIL_FIELD.test(field)) return maskPersonalId(value);
  if (NAME_FIELD.test(field) && !/code$/i.test(field)) return maskName(value);
  if (BARE_ID.test(value)) return maskPersonalId(value);
  return value;
}

/**
 * Masks personal data in a decoded payload (Law 91/2025/QH15: minimisation): personal
 * IDs keep their province prefix and last two digits, names their initials, addresses
 * their last administrative part, birth dates their year. Codes and flags stay readable.
 */
export function maskPersonalData(value: unknown, field = ''): unknown {
  if (typeof value === 'string') return maskString(field, value);
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item, field));
  if (value && typeof value === 'object') {
    if (value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      // Avro unions decode as { "string": "..." }: mask by the enclosing field name.
      const isUnionBranch = /^(string|long|int|bytes|[a-z]+\.[A-Za-z.]+)$/.test(key);
      out[key] = maskPersonalData(item, isUnionBranch ? field : key);
    }
    return out;
  }
  return value;
}
