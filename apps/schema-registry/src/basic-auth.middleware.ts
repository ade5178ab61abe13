import type { NextFunction, Request, Response } from 'express';
import {
  RegistryForbiddenError,
  RegistryUnauthenticatedError,
  requiredRole,
  roleAllows,
  BASIC_CHALLENGE,
  type RegistryUsers,
} from '@bus/schema-registry';
import { toConfluentError } from './confluent-error.filter';

function credentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 1
    ? undefined
    : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic in front of every route but /health, before the body is read: a caller without
 * a verified user gets 401, a user whose role does not allow the operation 403, both in
 * Confluent's `{error_code, message}` shape. Passwords are never logged.
 */
export function basicAuthMiddleware(users: RegistryUsers) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const operation = requiredRole(request.method, request.path);
    if (!operation) return next();
    const given = credentials(request.headers.authorization);
    const deny = (error: Error) => {
      const { status, body } = toConfluentError(error);
      if (status === 401) response.setHeader('WWW-Authenticate', BASIC_CHALLENGE);
      response.status(status).json(body);
    };
    if (!given) return deny(new RegistryUnauthenticatedError());
    users.verify(given.user, given.password).then(
      (role) => {
        if (!role) return deny(new RegistryUnauthenticatedError());
        if (!roleAllows(role, operation.role))
          return deny(new RegistryForbiddenError(given.user, operation, request.path));
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
