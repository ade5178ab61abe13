import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { BusError, ErrorCode } from '@bus/platform';

export interface ConfluentError {
  error_code: number;
  message: string;
}

/** Our stable codes -> Confluent's HTTP status and error_code, which clients switch on. */
const CONFLUENT_CODES: Record<string, readonly [status: number, errorCode: number]> = {
  [ErrorCode.SUBJECT_NOT_FOUND]: [404, 40401],
  [ErrorCode.VERSION_NOT_FOUND]: [404, 40402],
  [ErrorCode.SCHEMA_NOT_FOUND]: [404, 40403],
  [ErrorCode.SUBJECT_SOFT_DELETED]: [404, 40404],
  [ErrorCode.SUBJECT_NOT_SOFT_DELETED]: [404, 40405],
  [ErrorCode.VERSION_SOFT_DELETED]: [404, 40406],
  [ErrorCode.VERSION_NOT_SOFT_DELETED]: [404, 40407],
  [ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED]: [404, 40408],
  [ErrorCode.SCHEMA_INCOMPATIBLE]: [409, 40901],
  [ErrorCode.SCHEMA_INVALID]: [422, 42201],
  [ErrorCode.VERSION_INVALID]: [422, 42202],
  [ErrorCode.COMPATIBILITY_LEVEL_INVALID]: [422, 42203],
  [ErrorCode.REGISTRY_STORE_ERROR]: [500, 50001],
  [ErrorCode.REGISTRY_UNAUTHENTICATED]: [401, 401],
  [ErrorCode.REGISTRY_FORBIDDEN]: [403, 40301],
};

/** Errors thrown by body-parser carry a status and a `type` such as 'entity.too.large'. */
interface BodyParserError {
  status?: number;
  type?: string;
  limit?: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof (error as BodyParserError | undefined)?.type === 'string' &&
    typeof (error as BodyParserError).status === 'number'
  );
}

export function toConfluentError(error: unknown): { status: number; body: ConfluentError } {
  if (error instanceof BusError) {
    const mapped = CONFLUENT_CODES[error.code];
    if (mapped)
      return { status: mapped[0], body: { error_code: mapped[1], message: error.message } };
    return { status: 500, body: { error_code: 500, message: error.message } };
  }
  if (isBodyParserError(error)) {
    const status = error.status ?? 400;
    const message =
      error.type === 'entity.too.large'
        ? `Request body is larger than the limit of ${error.limit ?? '?'} bytes`
        : error.type === 'entity.parse.failed'
          ? `Unrecognized JSON in request body: ${error.message}`
          : error.message;
    return { status, body: { error_code: status, message } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, body: { error_code: status, message: `HTTP ${status} ${error.message}` } };
  }
  return { status: 500, body: { error_code: 500, message: 'Internal Server Error' } };
}

const logger = new Logger('ConfluentErrorFilter');

function send(error: unknown, response: Response): void {
  const { status, body } = toConfluentError(error);
  if (status >= 500) logger.error(error);
  response.status(status).json(body);
}

/** Confluent's `{error_code, message}` for every error a route throws. */
@Catch()
export class ConfluentErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    send(exception, host.switchToHttp().getResponse<Response>());
  }
}

/** The same shape for errors raised before Nest's routing, by the body parser. */
export function confluentErrorMiddleware(
  error: unknown,
  _request: Request,
  response: Response,
  next: NextFunction,
): void {
  if (response.headersSent) return next(error);
  send(error, response);
}
