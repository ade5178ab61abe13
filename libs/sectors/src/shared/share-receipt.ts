import {
  CITIZEN_ENVELOPE_FIELDS,
  DELIVERY_RECEIPTS_TOPIC,
  type Sector,
  sharingPolicy,
} from '@bus/contracts';
import type { ReceiptFacts, SectorSyncOptionsInput } from '@bus/sector-sync';
import type { ShareEvent } from './share-event';

/** Envelope fields that say nothing about the person (ids, versions, times, field names). */
const METADATA = new Set<string>(CITIZEN_ENVELOPE_FIELDS.filter((f) => f !== 'personalId'));

/**
 * What a sector's receipt names: the personal ID and every state field of the projection
 * that held a value in this event (a field nulled by a condition, e.g. parents over 6, or a
 * redacted one sent empty, was not received).
 */
export function shareReceiptFacts(event: ShareEvent): ReceiptFacts {
  const record = event as unknown as Record<string, unknown>;
  return {
    eventType: event.eventType,
    fields: Object.keys(record).filter(
      (f) => !METADATA.has(f) && record[f] !== null && record[f] !== undefined && record[f] !== '',
    ),
  };
}

/** Receipts of a sector app: the sector's id as recipient, the shipped policy as fallback version. */
export function shareReceipts(
  sector: Sector,
  topic: string = DELIVERY_RECEIPTS_TOPIC,
): SectorSyncOptionsInput<ShareEvent>['receipts'] {
  return {
    recipient: sector,
    topic,
    policyVersion: sharingPolicy().document.policyVersion,
    describe: shareReceiptFacts,
  };
}
