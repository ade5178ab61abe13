import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { contextFrom, startEventSpans, TRACEPARENT, withTraceparent } from './trace-context';
import { startTracing, tracingEnabled, type Tracing } from './tracing';

const upstream = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const options = { operation: 'process', destination: 'topic-a', kind: SpanKind.CONSUMER };
let tracing: Tracing | undefined;
afterEach(() => tracing?.shutdown());

describe('event spans', () => {
  it('cost nothing and change no header when tracing is off', () => {
    expect(tracingEnabled()).toBe(false);
    const spans = startEventSpans([{ [TRACEPARENT]: upstream }], options);
    expect(spans.batch).toBeUndefined();
    expect(withTraceparent({ a: 'b' }, spans.events[0])).toEqual({ a: 'b' });
  });

  it('continue each record trace and link it to the batch span', () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing('spec', { exporter });
    const spans = startEventSpans([{ [TRACEPARENT]: Buffer.from(upstream) }, undefined], {
      ...options,
      eventAttributes: (i) => ({ index: i }),
    });
    const headers = withTraceparent({ other: 'x' }, spans.events[0]);
    spans.end(new Error('boom'));
    const [first, second, batch] = exporter.getFinishedSpans();
    expect(first?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(first?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(first?.links[0]?.context.spanId).toBe(batch?.spanContext().spanId);
    // A record without a trace starts one of its own.
    expect(second?.parentSpanContext).toBeUndefined();
    expect(batch?.links.map((l) => l.context.spanId)).toEqual(['b7ad6b7169203331']);
    expect(first?.status).toMatchObject({ code: 2, message: 'Error' });
    expect(headers.other).toBe('x');
    expect(String(headers[TRACEPARENT])).toBe(
      `00-0af7651916cd43dd8448eb211c80319c-${first?.spanContext().spanId}-01`,
    );
    expect(contextFrom(headers)).toBeDefined();
  });
});
