import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { loadTracingConfig, type TracingConfig } from './tracing.config';

export interface Tracing {
  readonly enabled: boolean;
  /** Exports what is buffered and unregisters the provider (tracing is off afterwards). */
  shutdown(): Promise<void>;
}

let installed: TracerProvider | undefined;

/** True once `startTracing` registered a provider: the hot paths skip all span work otherwise. */
export function tracingEnabled(): boolean {
  return installed !== undefined;
}

export interface StartTracingOptions {
  /** Instead of the configured exporters (tests: an in-memory exporter, exported at once). */
  readonly exporter?: SpanExporter;
  readonly config?: TracingConfig | null;
}

/**
 * Exported every second: a process stopped by a signal (Nest's shutdown hooks re-raise it)
 * loses at most the last second of spans.
 */
const FLUSH = { scheduledDelayMillis: 1_000 };

const disabled: Tracing = { enabled: false, shutdown: async () => undefined };

/**
 * The bus's one tracing setup, called first thing by each process: a tracer provider for
 * `service`, parent-based ratio sampling, W3C trace context, async-local context. Without
 * an exporter configured (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_ZIPKIN_ENDPOINT`)
 * nothing is registered and every span call is the API's no-op.
 */
/** Exports what the batch processors hold now; a no-op when tracing is off. */
export async function flushTracing(): Promise<void> {
  await installed?.forceFlush().catch(() => undefined);
}

export function startTracing(service: string, options: StartTracingOptions = {}): Tracing {
  if (installed) return disabled; // one provider per process; the first caller owns it
  const config = options.config === undefined ? loadTracingConfig() : options.config;
  const processors: SpanProcessor[] = [];
  if (options.exporter) processors.push(new SimpleSpanProcessor({ exporter: options.exporter }));
  if (config?.otlpEndpoint) {
    const url = `${config.otlpEndpoint.replace(/\/$/, '')}/v1/traces`;
    processors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }), ...FLUSH }));
  }
  if (config?.zipkinEndpoint) {
    const exporter = new ZipkinExporter({ url: config.zipkinEndpoint, serviceName: service });
    processors.push(new BatchSpanProcessor({ exporter, ...FLUSH }));
  }
  if (processors.length === 0) return disabled;
  const ratio = options.exporter ? 1 : (config?.sampleRatio ?? 1);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: processors,
    // A batch span links every record of its batch (up to a fetch's worth).
    spanLimits: { linkCountLimit: 2_000 },
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  installed = provider;
  return {
    enabled: true,
    shutdown: async () => {
      if (installed !== provider) return;
      installed = undefined;
      await provider.shutdown().catch(() => undefined);
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
