import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.ts';

/** A secret's file: owner-only, also when it existed before (a write keeps the old mode). */
export function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The sectors of the sharing policy (schemas/ is the single source of truth): each has its
 * own Kafka principal, share-topic subjects and database, so a new sector gets them all.
 */
export function policySectors(): string[] {
  const policy = JSON.parse(readFileSync(join(ROOT, 'schemas/sharing-policy.json'), 'utf8')) as {
    sectors: Record<string, unknown>;
  };
  return Object.keys(policy.sectors);
}
