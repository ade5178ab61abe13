import { ErrorCode, ForbiddenError, UnauthenticatedError } from '@bus/platform/pure';

/**
 * Who may do what on the registry, the way Confluent's registry splits it: `reader` reads
 * (and looks schemas up), `writer` also registers and tests compatibility, `admin` also
 * changes config and mode and deletes. A sector can thus decode but never change the
 * contracts, and only an operator can delete the subjects the whole bus decodes with.
 */
export const REGISTRY_ROLES = ['reader', 'writer', 'admin'] as const;
export type RegistryRole = (typeof REGISTRY_ROLES)[number];

const RANK: Record<RegistryRole, number> = { reader: 0, writer: 1, admin: 2 };

export interface RegistryOperation {
  readonly role: RegistryRole;
  /** Confluent's words for the denial message: `Write on Subject: x`. */
  readonly action: 'Read' | 'Write' | 'Delete' | 'AlterConfigs';
}

/** The role an HTTP request needs; undefined: open to anyone (health only). */
export function requiredRole(method: string, path: string): RegistryOperation | undefined {
  const verb = method.toUpperCase();
  if (path === '/health' && (verb === 'GET' || verb === 'HEAD')) return undefined;
  if (verb === 'GET' || verb === 'HEAD') return { role: 'reader', action: 'Read' };
  // POST /subjects/{s} looks a schema up: a read, as in Confluent's access rules.
  if (verb === 'POST' && /^\/subjects\/[^/]+\/?$/.test(path))
    return { role: 'reader', action: 'Read' };
  if (verb === 'POST') return { role: 'writer', action: 'Write' };
  if (verb === 'DELETE' && path.startsWith('/subjects')) return { role: 'admin', action: 'Delete' };
  return { role: 'admin', action: 'AlterConfigs' };
}

export const roleAllows = (role: RegistryRole, needed: RegistryRole): boolean =>
  RANK[role] >= RANK[needed];

export const BASIC_CHALLENGE = 'Basic realm="schema-registry"';

export class RegistryUnauthenticatedError extends UnauthenticatedError {
  constructor() {
    super(ErrorCode.REGISTRY_UNAUTHENTICATED, 'Unauthorized', BASIC_CHALLENGE);
  }
}

export class RegistryForbiddenError extends ForbiddenError {
  constructor(user: string, operation: RegistryOperation, path: string) {
    super(
      ErrorCode.REGISTRY_FORBIDDEN,
      `User ${user} is denied operation ${operation.action} on ${path}`,
    );
  }
}
