import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { flushTracing, startTracing, type Tracing } from './tracing';

let tracing: Tracing | undefined;
afterEach(() => tracing?.shutdown());

describe('flushTracing', () => {
  it('exports the spans the batch processor holds at once, not a second later', async () => {
    const received: string[] = [];
    const collector = createServer((request, response) => {
      received.push(`${request.method} ${request.url}`);
      request.resume().on('end', () => response.end());
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      tracing = startTracing('flush-test', {
        config: {
          otlpEndpoint: `http://127.0.0.1:${port}`,
          zipkinEndpoint: undefined,
          sampleRatio: 1,
        },
      });
      trace.getTracer('flush-test').startSpan('last span before SIGTERM').end();
      expect(received).toEqual([]);
      await flushTracing();
      expect(received).toEqual(['POST /v1/traces']);
    } finally {
      await tracing?.shutdown();
      tracing = undefined;
      collector.close();
    }
  });
});
