import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { BusError } from '@bus/platform';
import { REGISTRY_ERROR } from '@bus/schema-registry';

export interface ConfluentError {
  error_code: number;
  message: string;
}

/** Our stable codes -> Confluent's HTTP status and error_code, which clients switch on. */
const CONFLUENT_CODES: Record<string, readonly [status: number, errorCode: number]> = {
  [REGISTRY_ERROR.subjectNotFound]: [404, 40401],
  [REGISTRY_ERROR.versionNotFound]: [404, 40402],
  [REGISTRY_ERROR.schemaNotFound]: [404, 40403],
  [REGISTRY_ERROR.subjectSoftDeleted]: [404, 40404],
  [REGISTRY_ERROR.subjectNotSoftDeleted]: [404, 40405],
  [REGISTRY_ERROR.versionSoftDeleted]: [404, 40406],
  [REGISTRY_ERROR.versionNotSoftDeleted]: [404, 40407],
  [REGISTRY_ERROR.subjectLevelNotConfigured]: [404, 40408],
  [REGISTRY_ERROR.incompatibleSchema]: [409, 40901],
  [REGISTRY_ERROR.invalidSchema]: [422, 42201],
  [REGISTRY_ERROR.invalidVersion]: [422, 42202],
  [REGISTRY_ERROR.invalidCompatibilityLevel]: [422, 42203],
  [REGISTRY_ERROR.storeError]: [500, 50001],
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
