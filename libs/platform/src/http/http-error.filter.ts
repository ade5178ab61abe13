import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { BusError, type ErrorKind, UnauthenticatedError } from '../errors/bus-error';
import { ErrorCode } from '../errors/error-codes';
import { isTransientInfrastructureError } from '../errors/transient-infrastructure';
import { isDatabaseUnavailable } from '../resilience/failure-verdict';

/** The only place where an error kind becomes an HTTP status. */
export const HTTP_STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  rule: HttpStatus.UNPROCESSABLE_ENTITY,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  transient: HttpStatus.SERVICE_UNAVAILABLE,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};

export interface HttpErrorBody {
  error: {
    code: string;
    message: string;
    retriable: boolean;
    fields?: { path: string; message: string; code?: string }[];
    details?: Record<string, unknown>;
  };
}

export function toHttpError(error: unknown): { status: number; body: HttpErrorBody } {
  if (error instanceof BusError) {
    return {
      status: HTTP_STATUS_BY_KIND[error.kind],
      body: {
        error: {
          code: error.code,
          message: error.message,
          retriable: error.retriable,
          ...(error.fields.length > 0 ? { fields: [...error.fields] } : {}),
          ...(Object.keys(error.details).length > 0 ? { details: { ...error.details } } : {}),
        },
      },
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      status,
      body: { error: { code: `HTTP_${status}`, message: error.message, retriable: false } },
    };
  }
  // A database or broker that is down is the caller's cue to retry, not a bug: 503.
  if (isTransientInfrastructureError(error) || isDatabaseUnavailable(error)) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      body: {
        error: {
          code: ErrorCode.DEPENDENCY_UNAVAILABLE,
          message: 'A service this request needs is unavailable; retry shortly',
          retriable: true,
        },
      },
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: { code: ErrorCode.INTERNAL, message: 'Internal error', retriable: true } },
  };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = toHttpError(exception);
    if (status >= 500) this.logger.error(exception);
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof UnauthenticatedError)
      response.setHeader('WWW-Authenticate', exception.challenge);
    else if (status === HttpStatus.FORBIDDEN && exception instanceof BusError)
      response.setHeader('WWW-Authenticate', 'Bearer error="insufficient_scope"');
    response.status(status).json(body);
  }
}
