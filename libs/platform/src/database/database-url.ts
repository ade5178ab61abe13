import { ValidationError } from '../errors/bus-error';
import { ErrorCode } from '../errors/error-codes';

/** The same server, another database: each service owns one database on it. */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function databaseNameOf(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new ValidationError(
      ErrorCode.DATABASE_NAME_INVALID,
      `Unsupported database name "${name}": use letters, digits and underscores`,
    );
  }
  return name;
}
