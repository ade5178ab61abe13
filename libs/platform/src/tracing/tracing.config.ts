import { z } from 'zod';
import { loadConfig } from '../config/load-config';

export interface TracingConfig {
  /** OTLP/HTTP (protobuf) collector base URL; spans go to `<endpoint>/v1/traces`. */
  readonly otlpEndpoint: string | undefined;
  /** Zipkin's span API, e.g. `http://127.0.0.1:9411/api/v2/spans` (the local trace viewer). */
  readonly zipkinEndpoint: string | undefined;
  /** Share of new traces recorded (0..1); a continued trace follows its parent's decision. */
  readonly sampleRatio: number;
}

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());

/** The standard OpenTelemetry variables this bus honours; nothing set means tracing is off. */
export function loadTracingConfig(
  source: Record<string, string | undefined> = process.env,
): TracingConfig | null {
  const c = loadConfig(
    'tracing',
    z.object({
      OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
      OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: optionalUrl,
      OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
    }),
    source,
  );
  if (c.OTEL_SDK_DISABLED === 'true') return null;
  if (!c.OTEL_EXPORTER_OTLP_ENDPOINT && !c.OTEL_EXPORTER_ZIPKIN_ENDPOINT) return null;
  return {
    otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
    zipkinEndpoint: c.OTEL_EXPORTER_ZIPKIN_ENDPOINT,
    sampleRatio: c.OTEL_TRACES_SAMPLER_ARG,
  };
}
