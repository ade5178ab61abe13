import { ErrorCode, ValidationError } from '@bus/platform/pure';

/**
 * The delivery-receipt contract pinned in docs/conventions.md ("Delivery receipts"): one
 * declaration for the writer (every sector-sync service, through its receipts outbox) and
 * the reader (the ledger). A receipt says that a recipient committed an event about a
 * person, with the names of the fields it received.
 */
export const DELIVERY_RECEIPTS_TOPIC = 'sync.delivery-receipts';

/** Keyed by personal ID: a citizen's receipts stay in one partition of the ledger's input. */
export const DELIVERY_RECEIPTS_PARTITIONS = 3;

/**
 * The header the share router puts on every share record: the sharing-policy version the
 * projection was made under, which the receipt carries to the ledger.
 */
export const POLICY_VERSION_HEADER = 'bus.policy.version';

export interface DeliveryReceipt {
  /** Who received the data: the sector id (`bhyt`, `land`, ...) for the bus's sectors. */
  readonly recipient: string;
  readonly eventId: string;
  readonly personalId: string;
  readonly eventType: string;
  /** Names of the fields the recipient received (with a value) in this event. */
  readonly fields: readonly string[];
  /** The sharing-policy version of the projection; 0 when the record did not say. */
  readonly policyVersion: number;
  /** When the recipient's transaction committed the event (ISO-8601). */
  readonly appliedAt: string;
}

const invalid = (message: string) => new ValidationError(ErrorCode.RECEIPT_INVALID, message);

const text = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(`${field} must be a non-empty string`);
  }
  return value;
};

/** Reads one receipt value, naming the field that breaks the contract. */
export function parseDeliveryReceipt(json: string): DeliveryReceipt {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ValidationError(ErrorCode.RECEIPT_INVALID, 'receipt is not JSON', { cause: error });
  }
  if (typeof raw !== 'object' || raw === null) throw invalid('receipt must be a JSON object');
  const r = raw as Record<string, unknown>;
  if (!Array.isArray(r.fields) || r.fields.some((f) => typeof f !== 'string')) {
    throw invalid('fields must be an array of strings');
  }
  const policyVersion = r.policyVersion;
  if (typeof policyVersion !== 'number' || !Number.isInteger(policyVersion) || policyVersion < 0) {
    throw invalid('policyVersion must be a non-negative integer');
  }
  const appliedAt = text(r.appliedAt, 'appliedAt');
  if (Number.isNaN(Date.parse(appliedAt))) throw invalid('appliedAt must be an ISO-8601 time');
  return {
    recipient: text(r.recipient, 'recipient'),
    eventId: text(r.eventId, 'eventId'),
    personalId: text(r.personalId, 'personalId'),
    eventType: text(r.eventType, 'eventType'),
    fields: r.fields as string[],
    policyVersion,
    appliedAt,
  };
}
