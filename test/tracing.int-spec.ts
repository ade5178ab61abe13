import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { DLT_HEADERS } from '@bus/contracts';
import { startTracing, TRACEPARENT, type Tracing } from '@bus/platform';
import { connectedConsumer, connectedProducer, uniqueName, waitFor } from '@bus/testing';
import { registerBirth, startPipeline } from './pipeline';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;

beforeAll(() => {
  tracing = startTracing('tracing-test', { exporter });
});
afterAll(() => tracing.shutdown());

const spansOf = (traceId: string) =>
  exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const group = (span: ReadableSpan) => span.attributes['messaging.consumer.group.name'];
/** The batch span an event span links to, and that links back to the event's parent. */
function batchOf(span: ReadableSpan): ReadableSpan | undefined {
  const link = span.links[0]?.context;
  return exporter.getFinishedSpans().find((s) => s.spanContext().spanId === link?.spanId);
}

describe('tracing: one trace per command, from the HTTP request to every sector commit', () => {
  it('links the request, the outbox write, the relay, the router and each receiving sector; a dead letter carries the trace', async () => {
    const p = await startPipeline('population_tracing');
    const { s } = p;
    const { status, personalId, eventId } = await registerBirth(p);
    expect(status).toBe(201);

    const http = exporter
      .getFinishedSpans()
      .find((span) => span.kind === SpanKind.SERVER && span.name === 'POST /citizens/births');
    expect(http).toBeDefined();
    const traceId = http!.spanContext().traceId;
    const sectorSpan = (sector: string) =>
      spansOf(traceId).find(
        (span) =>
          span.kind === SpanKind.CONSUMER && group(span) === s.sectors[sector as 'bhyt'].groupId,
      );
    await waitFor(() => ['bhyt', 'tax', 'tthc'].every((sector) => sectorSpan(sector)), {
      description: 'each receiving sector ended its apply span',
    });
    const spans = spansOf(traceId);
    const outbox = spans.find((span) => span.name === 'outbox write');
    expect(parentOf(outbox!)).toBe(http!.spanContext().spanId);
    const publish = spans.find((span) => span.kind === SpanKind.PRODUCER);
    expect(publish).toMatchObject({
      name: `send ${s.masterTopic}`,
      attributes: expect.objectContaining({ 'messaging.message.id': eventId }),
    });
    expect(parentOf(publish!)).toBe(outbox!.spanContext().spanId);
    const routed = spans.find((span) => group(span) === s.router.groupId);
    expect(routed?.name).toBe(`process ${s.masterTopic}`);
    expect(parentOf(routed!)).toBe(publish!.spanContext().spanId);
    for (const sector of ['bhyt', 'tax', 'tthc']) {
      const applied = sectorSpan(sector)!;
      expect(applied.name).toBe(`process ${s.router.shareTopics[sector as 'bhyt']}`);
      expect(parentOf(applied)).toBe(routed!.spanContext().spanId);
    }
    expect(sectorSpan('land')).toBeUndefined();
    // Batches: each stage's batch span (a trace of its own) links to the records it carried.
    for (const span of [publish!, routed!, sectorSpan('bhyt')!]) {
      const batch = batchOf(span);
      expect(batch?.name).toBe(`${span.name} batch`);
      expect(batch?.links.map((l) => l.context.spanId)).toContain(parentOf(span));
    }
    // No personal ID in any span of the trace (names, attributes).
    expect(JSON.stringify(spans.map((x) => [x.name, x.attributes]))).not.toContain(personalId);

    // A record the router cannot decode is dead-lettered with the router's span as parent.
    const producer = await connectedProducer(undefined, { idempotent: true });
    const upstream = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await producer.send({
      topic: s.masterTopic,
      acks: -1,
      messages: [
        { key: '001203012345', value: 'plain text', headers: { [TRACEPARENT]: upstream } },
      ],
    });
    const dead: { headers: Record<string, string> }[] = [];
    const consumer = await connectedConsumer(uniqueName('dlt-peek'));
    await consumer.subscribe({ topic: s.router.deadLetterTopic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
        );
        dead.push({ headers });
      },
    });
    await waitFor(() => dead.length >= 1, { description: 'the poison record dead-lettered' });
    const letter = dead[0]!.headers;
    expect(letter[DLT_HEADERS.reason]).toBe('WIRE_FORMAT_INVALID');
    const [, deadTrace, deadSpan] = letter[TRACEPARENT]!.split('-');
    expect(deadTrace).toBe('0af7651916cd43dd8448eb211c80319c');
    await waitFor(
      () => spansOf(deadTrace!).some((span) => span.spanContext().spanId === deadSpan),
      { description: "the router's span for the dead letter ended" },
    );
    const deadRouted = spansOf(deadTrace!).find((span) => span.spanContext().spanId === deadSpan);
    expect(group(deadRouted!)).toBe(s.router.groupId);
    expect(parentOf(deadRouted!)).toBe('b7ad6b7169203331');
  }, 120_000);
});
