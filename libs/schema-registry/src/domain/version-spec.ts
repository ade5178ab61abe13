import { InvalidVersionError } from './registry.errors';

/** A version as a client names it: a number, or the latest live one. */
export type VersionSpec =
  { readonly kind: 'latest' } | { readonly kind: 'number'; readonly value: number };

const MAX_VERSION = 2 ** 31 - 1;

/** Confluent accepts 1..2^31-1, "latest", and -1 as a synonym of "latest". */
export function parseVersion(raw: string): VersionSpec {
  if (raw === 'latest' || raw === '-1') return { kind: 'latest' };
  if (!/^\d{1,10}$/.test(raw)) throw new InvalidVersionError(raw);
  const value = Number(raw);
  if (value < 1 || value > MAX_VERSION) throw new InvalidVersionError(raw);
  return { kind: 'number', value };
}
