import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { busTracer, contextFrom } from './trace-context';
import { tracingEnabled } from './tracing';

/**
 * Express middleware: one SERVER span per API request, continuing the caller's
 * `traceparent` if any, active for everything the request does (a command's outbox row
 * stores it). Named and tagged by the route template (`/citizens/:personalId`), never the
 * path, which may hold a personal ID. Management requests (probes, scrapes) are not traced.
 */
export function httpTracing(skip: (request: Request) => boolean) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!tracingEnabled() || skip(request)) {
      next();
      return;
    }
    const span = busTracer().startSpan(
      request.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } },
      contextFrom(request.headers),
    );
    const active = trace.setSpan(context.active(), span);
    // Body parsing resumes the chain from the socket's callbacks: bind the emitters so the
    // handlers still run inside the request's span.
    context.bind(active, request);
    context.bind(active, response);
    response.once('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      if (route !== undefined) {
        span.updateName(`${request.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(active, next);
  };
}
