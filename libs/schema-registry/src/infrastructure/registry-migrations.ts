import { join } from 'node:path';
import { migrate, type Logger } from '@bus/platform';

/** Resolved beside this file so it works from src (vitest) and from dist (the build copies .sql). */
export const REGISTRY_MIGRATIONS_DIR = join(__dirname, 'migrations');

export function migrateRegistry(databaseUrl: string, logger?: Logger): Promise<string[]> {
  return migrate({ databaseUrl, dir: REGISTRY_MIGRATIONS_DIR, ...(logger ? { logger } : {}) });
}
