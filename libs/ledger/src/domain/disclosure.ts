import { ErrorCode, ValidationError, type FieldIssue } from '@bus/platform/pure';

/** One delivery of a citizen's data, as the citizen reads it ("who received my data"). */
export interface Disclosure {
  /** The recipient's id (the sector: `bhyt`, `land`, ...). */
  readonly recipient: string;
  readonly recipientName: string;
  readonly purpose: string;
  readonly legalBasis: readonly string[];
  readonly eventType: string;
  readonly fields: readonly string[];
  /** When the recipient committed the delivery (ISO-8601). */
  readonly receivedAt: string;
  readonly policyVersion: number;
}

export interface DisclosurePeriod {
  readonly from: Date;
  readonly to: Date;
}

/** The policy text shown when a receipt names a version the ledger was never given. */
export const UNKNOWN_POLICY = 'not recorded: the ledger holds no sharing policy of this version';

const parseInstant = (value: string, field: string, issues: FieldIssue[]): Date | null => {
  // A date (`2026-11-29`) or a full ISO-8601 time; nothing looser.
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    issues.push({ path: field, message: 'must be an ISO-8601 date or time' });
    return null;
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) issues.push({ path: field, message: 'is not a real date' });
  return at;
};

/**
 * The `from`/`to` query of the disclosures endpoint: both optional (default: everything up
 * to now), `to` exclusive, and `from` not after `to`.
 */
export function parsePeriod(
  from: string | undefined,
  to: string | undefined,
  now: Date,
): DisclosurePeriod {
  const issues: FieldIssue[] = [];
  const start = from === undefined ? new Date(0) : parseInstant(from, 'from', issues);
  const end = to === undefined ? now : parseInstant(to, 'to', issues);
  if (issues.length === 0 && start && end && start.getTime() > end.getTime()) {
    issues.push({ path: 'from', message: 'must not be after to' });
  }
  if (issues.length > 0 || !start || !end) {
    throw new ValidationError(ErrorCode.REQUEST_INVALID, 'Invalid disclosure period', {
      fields: issues,
    });
  }
  return { from: start, to: end };
}

const CSV_COLUMNS = [
  'receivedAt',
  'recipient',
  'recipientName',
  'purpose',
  'legalBasis',
  'eventType',
  'fields',
  'policyVersion',
] as const;

/** RFC 4180: quote every cell, double the quotes inside. Lists are joined with "; ". */
const cell = (value: unknown): string => {
  const text = Array.isArray(value) ? value.join('; ') : String(value);
  return `"${text.replaceAll('"', '""')}"`;
};

/** The download: a header line, then one line per delivery, CRLF as RFC 4180 says. */
export function disclosuresCsv(disclosures: readonly Disclosure[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const d of disclosures) lines.push(CSV_COLUMNS.map((c) => cell(d[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
