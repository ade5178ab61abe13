import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, concatMap, from, map, type Observable, throwError } from 'rxjs';
import { callerOf } from '../auth/auth.guard';
import { toHttpError } from '../http/http-error.filter';
import { AuditTrail } from './audit-trail';

const AUDITED = 'bus:audited';

export interface AuditedOptions {
  /** The route parameter that holds the citizen's personal ID (`id` by default). */
  readonly citizenParam?: string;
  /** The route parameter that names what else the action was about. */
  readonly targetParam?: string;
}

/** Records the request in the service's audit trail, whatever its outcome. */
export const Audited = (action: string, options: AuditedOptions = {}) =>
  SetMetadata(AUDITED, { action, ...options });

const personalIdOf = (value: unknown) =>
  typeof value === 'object' && value !== null && 'personalId' in value
    ? String((value as { personalId: unknown }).personalId)
    : undefined;

/**
 * After the handler, one audit row: who (from the verified token), what, which citizen
 * (the path's ID, else the result's), the status and the request ID. An audit row that
 * cannot be written fails the request: an unrecorded access must not look like success.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    @Inject(AuditTrail) private readonly trail: AuditTrail,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const audited = this.reflector.get<(AuditedOptions & { action: string }) | undefined>(
      AUDITED,
      context.getHandler(),
    );
    const request = context.switchToHttp().getRequest<Request>();
    const principal = callerOf(request);
    if (!audited || !principal) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    const param = (name: string | undefined) =>
      name === undefined ? undefined : (request.params[name] as string | undefined);
    const record = (status: number, result?: unknown) =>
      this.trail.record({
        requestId: (request as Request & { id?: unknown }).id?.toString(),
        principal,
        action: audited.action,
        citizenId: param(audited.citizenParam ?? 'id') ?? personalIdOf(result),
        target: param(audited.targetParam),
        outcome: status < 400 ? 'ok' : status === 401 || status === 403 ? 'refused' : 'failed',
        status,
      });
    return next.handle().pipe(
      concatMap((result: unknown) =>
        from(record(response.statusCode, result)).pipe(map(() => result)),
      ),
      catchError((error: unknown) =>
        from(record(toHttpError(error).status)).pipe(concatMap(() => throwError(() => error))),
      ),
    );
  }
}
