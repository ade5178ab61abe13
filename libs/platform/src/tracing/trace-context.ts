import type { SpanKind } from '@opentelemetry/api';
import {
  context,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IHeaders } from 'kafkajs';
import { isBusError } from '../errors/bus-error';
import { tracingEnabled } from './tracing';

/** The W3C header that carries a trace from the HTTP command to the last sector (Kafka header, outbox column). */
export const TRACEPARENT = 'traceparent';

/** The bus's tracer; a no-op until `startTracing` registers a provider. */
export const busTracer = () => trace.getTracer('citizen-data-bus');

// Used directly (not the global propagator): the format on the wire is W3C whatever a
// process registered, and Kafka headers are Buffers.
const w3c = new W3CTraceContextPropagator();
type Carrier = Readonly<Record<string, unknown>> | undefined;
const getter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier ?? {}),
  get: (carrier, key) => {
    const value = carrier?.[key];
    const one: unknown = Array.isArray(value) ? value[0] : value;
    return one === undefined || one === null ? undefined : String(one as string | Buffer);
  },
};

/** The trace context carried by Kafka headers, HTTP headers or `{ traceparent }` (ROOT when none). */
export function contextFrom(carrier: Carrier, base: Context = ROOT_CONTEXT): Context {
  return w3c.extract(base, carrier, getter);
}

/** The `traceparent` naming `span`, or undefined when there is none. */
export function traceparentOf(span: Span | undefined): string | undefined {
  if (span === undefined) return undefined;
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, {
    set: (c, k, v) => void (c[k] = v),
  });
  return carrier[TRACEPARENT];
}

/** Kafka headers with `traceparent` replaced by `span`'s (unchanged when there is no span). */
export function withTraceparent(headers: IHeaders | undefined, span: Span | undefined): IHeaders {
  const traceparent = traceparentOf(span);
  return traceparent === undefined ? { ...headers } : { ...headers, [TRACEPARENT]: traceparent };
}

export interface EventSpans {
  /** The batch's span (linked to every event's upstream span); undefined when tracing is off. */
  readonly batch: Span | undefined;
  /** One span per event, child of that event's upstream span and linked to the batch span. */
  readonly events: readonly (Span | undefined)[];
  /** Ends every span; an error marks them failed with its code (never its text: no personal data). */
  end(error?: unknown): void;
}

export interface EventSpanOptions {
  /** `process`, `send`…: the span names are `<operation> <destination>` (OTel messaging). */
  readonly operation: string;
  readonly destination: string;
  readonly kind: SpanKind;
  readonly attributes?: Attributes;
  /** Per event: extra attributes (offset, event id), never a personal ID. */
  readonly eventAttributes?: (index: number) => Attributes;
}

/** A span's status text: the stable code, never the message (it may quote input). */
const statusOf = (error: unknown): string =>
  isBusError(error) ? error.code : error instanceof Error ? error.name : 'error';

const noSpans: EventSpans = { batch: undefined, events: [], end: () => undefined };

/**
 * One stage's spans for a batch of events: a batch span, and a span per event continuing the
 * trace its carrier names (`traceparent`). Costs nothing when tracing is off.
 */
export function startEventSpans(
  carriers: readonly Carrier[],
  options: EventSpanOptions,
): EventSpans {
  if (!tracingEnabled()) return noSpans;
  const tracer = busTracer();
  const upstream = carriers.map((carrier) => trace.getSpanContext(contextFrom(carrier)));
  const name = `${options.operation} ${options.destination}`;
  const attributes = {
    'messaging.system': 'kafka',
    'messaging.operation.name': options.operation,
    'messaging.destination.name': options.destination,
    ...options.attributes,
  };
  const batch = tracer.startSpan(
    `${name} batch`,
    {
      kind: options.kind,
      root: true,
      attributes: { ...attributes, 'messaging.batch.message_count': carriers.length },
      links: upstream.flatMap((spanContext) => (spanContext ? [{ context: spanContext }] : [])),
    },
    ROOT_CONTEXT,
  );
  const events = upstream.map((spanContext, index) =>
    tracer.startSpan(
      name,
      {
        kind: options.kind,
        attributes: { ...attributes, ...options.eventAttributes?.(index) },
        links: [{ context: batch.spanContext() }],
      },
      spanContext ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT,
    ),
  );
  return {
    batch,
    events,
    end(error?: unknown) {
      for (const span of [...events, batch]) {
        if (error !== undefined) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: statusOf(error) });
        }
        span.end();
      }
    },
  };
}

/** Runs `work` with `span` active (its child spans and `traceparentOf()` see it). */
export function inSpan<T>(span: Span | undefined, work: () => T): T {
  return span === undefined ? work() : context.with(trace.setSpan(context.active(), span), work);
}
