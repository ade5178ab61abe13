import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenError } from '../errors/bus-error';
import { ErrorCode } from '../errors/error-codes';
import { isManagementRequest } from './management-port';
import { hasAnyRole, type Principal } from './principal';
import { TokenVerifier } from './token-verifier';

const RIGHTS = 'bus:rights';
const PUBLIC = 'bus:public';
const PRINCIPAL = Symbol('principal');

/** The roles (any of them) that may call a route; a route without `@Rights` is refused. */
export const Rights = (...roles: string[]) => SetMetadata(RIGHTS, roles);

/** A route that needs no token (the sign-in page's configuration): use sparingly. */
export const Public = () => SetMetadata(PUBLIC, true);

type AuthenticatedRequest = Request & { [PRINCIPAL]?: Principal };

/** The verified caller of the current request (set by the guard). */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>()[PRINCIPAL];
  if (!principal)
    throw new ForbiddenError(ErrorCode.NO_CALLER, 'This route has no authenticated caller');
  return principal;
});

export function callerOf(request: Request): Principal | undefined {
  return (request as AuthenticatedRequest)[PRINCIPAL];
}

/**
 * Every HTTP route of every app: a valid bearer token (401 otherwise), then one of the
 * route's roles (403 otherwise). Deny by default: a route that declares no rights is 403.
 * `/health` and `/metrics` answer only on the management port, where no token is asked.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (isManagementRequest(request)) return true;
    if (this.reflector.get<boolean | undefined>(PUBLIC, context.getHandler())) return true;
    const principal = await this.verifier.verify(request.headers.authorization);
    request[PRINCIPAL] = principal;
    const rights = this.reflector.getAllAndOverride<string[] | undefined>(RIGHTS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rights || !hasAnyRole(principal, rights)) {
      throw new ForbiddenError(ErrorCode.RIGHT_MISSING, 'The token does not grant this operation');
    }
    return true;
  }
}
