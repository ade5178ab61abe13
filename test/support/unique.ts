import { randomBytes } from 'node:crypto';

/** A name no other test or run uses; valid as a topic, group or (lower-case) database name. */
export function uniqueName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return `t_${clean}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
