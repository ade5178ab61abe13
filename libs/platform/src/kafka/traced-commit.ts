import { SpanKind } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { inSpan, startEventSpans, withTraceparent } from '../tracing/trace-context';
import { tracingEnabled } from '../tracing/tracing';
import type { BatchCommitted, BatchLoopStep, PartitionBatch } from './batch-step';

/**
 * The engine's commit inside this stage's spans: one per record, continuing the trace its
 * `traceparent` header names, and one for the batch linked to them. The engine sees each
 * record's header replaced by its own span's, so whatever it writes on (share records,
 * dead letters, receipts) carries the trace on without any tracing code of its own.
 */
export async function commitTraced(
  step: BatchLoopStep,
  groupId: string,
  batch: PartitionBatch,
): Promise<BatchCommitted> {
  if (!tracingEnabled()) return step.commit(batch);
  const spans = startEventSpans(
    batch.messages.map((m) => m.headers),
    {
      operation: 'process',
      destination: batch.topic,
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.consumer.group.name': groupId,
        'messaging.destination.partition.id': String(batch.partition),
      },
      eventAttributes: (i) => ({ 'messaging.kafka.offset': Number(batch.messages[i]?.offset) }),
    },
  );
  const messages = batch.messages.map(
    (m, i) => ({ ...m, headers: withTraceparent(m.headers, spans.events[i]) }) as KafkaMessage,
  );
  try {
    const committed = await inSpan(spans.batch, () => step.commit({ ...batch, messages }));
    spans.end();
    return committed;
  } catch (error) {
    spans.end(error);
    throw error;
  }
}
