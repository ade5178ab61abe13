import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error';
import { loadTracingConfig } from './tracing.config';

describe('loadTracingConfig', () => {
  it('is off without an exporter endpoint, or when the SDK is disabled', () => {
    expect(loadTracingConfig({})).toBeNull();
    expect(
      loadTracingConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_SDK_DISABLED: 'true',
      }),
    ).toBeNull();
  });

  it('reads the OTLP and Zipkin endpoints and the sampling ratio', () => {
    expect(
      loadTracingConfig({
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://127.0.0.1:9411/api/v2/spans',
        OTEL_TRACES_SAMPLER_ARG: '0.01',
      }),
    ).toEqual({
      otlpEndpoint: undefined,
      zipkinEndpoint: 'http://127.0.0.1:9411/api/v2/spans',
      sampleRatio: 0.01,
    });
  });

  it('refuses a ratio outside 0..1', () => {
    expect(() =>
      loadTracingConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_TRACES_SAMPLER_ARG: '5',
      }),
    ).toThrow(ConfigError);
  });
});
