import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { httpTracing } from '../tracing/http-tracing';

/** Paths served only on the management port, without a token. */
export const MANAGEMENT_PATHS: readonly string[] = ['/health', '/metrics'];
const MANAGEMENT = Symbol('management');

type Marked = IncomingMessage & { [MANAGEMENT]?: boolean };

export function isManagementRequest(request: Request): boolean {
  return (request as unknown as Marked)[MANAGEMENT] === true;
}

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  readonly managementHost: string;
  readonly managementPort: number;
}

/**
 * The app's one Express instance behind two listeners: the API port (every route needs a
 * token; /health and /metrics are 404 there) and the management port (only /health and
 * /metrics, open for probes and Prometheus). Call before listening.
 */
export function splitManagementPort(app: INestApplication): void {
  // Every app calls this first: its API requests start (or continue) a trace here.
  app.use(httpTracing(isManagementRequest));
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (isManagementRequest(request) === MANAGEMENT_PATHS.includes(request.path)) {
      next();
      return;
    }
    response.status(404).json({
      error: {
        code: 'HTTP_404',
        message: `Cannot ${request.method} ${request.path}`,
        retriable: false,
      },
    });
  });
}

/** Starts both listeners; the management server closes with the app. Returns its port. */
export async function listenWithManagement(
  app: INestApplication,
  options: ListenOptions,
): Promise<{ management: Server; managementPort: number }> {
  await app.listen(options.port, options.host);
  const express = app.getHttpAdapter().getInstance() as RequestHandler;
  const management = createServer((request: Marked, response) => {
    request[MANAGEMENT] = true;
    express(request as Request, response as Response, () => response.end());
  });
  await new Promise<void>((resolve, reject) => {
    management.once('error', reject);
    management.listen(options.managementPort, options.managementHost, () => resolve());
  });
  const close = app.close.bind(app);
  app.close = async () => {
    await new Promise<void>((resolve) => management.close(() => resolve()));
    await close();
  };
  return { management, managementPort: (management.address() as AddressInfo).port };
}
