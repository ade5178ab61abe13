import { shareDeserializer, type Sector } from '@bus/contracts';
import { ValidationError, ErrorCode } from '@bus/platform';
import type { EventDecoder } from '@bus/sector-sync';
import type { ShareEvent } from './share-event';

/**
 * Reads the share topic with the sector's projection (its reader schema). Registry
 * failures surface as REGISTRY_UNAVAILABLE (transient: retried); bad bytes as permanent
 * codes (dead-lettered).
 */
export function shareEventDecoder(registryUrl: string, sector: Sector): EventDecoder<ShareEvent> {
  const deserializer = shareDeserializer(registryUrl, sector);
  return async (record) => {
    const event = await deserializer.deserialize(record.value);
    const key = record.key?.toString('utf8');
    if (key !== undefined && key !== event.personalId) {
      throw new ValidationError(
        ErrorCode.KEY_MISMATCH,
        `Message key does not match the event's personalId (event ${event.eventId})`,
      );
    }
    return {
      key: event.personalId,
      version: event.version,
      eventId: event.eventId,
      occurredAt: new Date(event.occurredAt).toISOString(),
      recordedAt: new Date(event.recordedAt).toISOString(),
      event,
    };
  };
}
