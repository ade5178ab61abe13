import type { Message } from 'kafkajs';
import { outboxDeadLetterHeaders } from '@bus/contracts';
import { classifyFailure, ErrorCode, withTraceparent, type EventSpans } from '@bus/platform';
import type { DeadLetteredRow, PendingOutboxRow, PreEncoded } from './outbox.repository';

export interface PayloadSerializer {
  serialize(value: never): Buffer;
  /** Rows stored with this schema's Avro body are only framed (see outbox.repository). */
  readonly preEncoded?: PreEncoded;
}

export type OutboxLetter = DeadLetteredRow & { readonly message: Message };

/**
 * The batch's records, and a dead letter for each row that cannot be encoded (a JSON
 * payload the registered schema refuses, written by hand or by another version): retrying
 * a deterministic failure would block every row behind it for good. The letter carries
 * the row's JSON payload, its key and the reason; the row is marked with the reason.
 */
export function encodeBatch(
  rows: readonly PendingOutboxRow[],
  serializer: PayloadSerializer,
  spans: EventSpans,
): { messages: Message[]; letters: OutboxLetter[] } {
  const messages: Message[] = [];
  const letters: OutboxLetter[] = [];
  rows.forEach((row, i) => {
    const headers = spans.batch ? withTraceparent(undefined, spans.events[i]) : undefined;
    let value: Buffer;
    try {
      value = row.framed ?? serializer.serialize(row.payload as never);
    } catch (error) {
      const verdict = classifyFailure(error, ErrorCode.AVRO_ENCODE_FAILED);
      if (verdict.kind === 'transient') throw error;
      letters.push({
        seq: row.seq,
        reason: verdict.reason,
        message: {
          key: row.aggregateId,
          value: Buffer.from(JSON.stringify(row.payload)),
          headers: outboxDeadLetterHeaders(headers, row.seq, verdict, new Date()),
        },
      });
      return;
    }
    messages.push({ key: row.aggregateId, value, ...(headers && { headers }) });
  });
  return { messages, letters };
}
