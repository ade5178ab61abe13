import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STATE_DIR } from './paths.ts';
import type { ManagedProcess } from './processes.ts';

/** The bus's Node apps, in start order. An app joins once its main.ts exists. */
export interface NodeApp {
  readonly name: string;
  /** Health endpoint (on the app's management port) that answers 200 when it is ready. */
  readonly healthUrl?: string;
  /** Part of the infrastructure that `stack:up` brings up (the schema registry). */
  readonly infrastructure?: boolean;
}

export const NODE_APPS: readonly NodeApp[] = [
  { name: 'schema-registry', healthUrl: 'http://127.0.0.1:8081/health', infrastructure: true },
  { name: 'national-population', healthUrl: 'http://127.0.0.1:3100/health' },
  { name: 'share-router', healthUrl: 'http://127.0.0.1:3005/health' },
  { name: 'sync-bhyt', healthUrl: 'http://127.0.0.1:3111/health' },
  { name: 'sync-land', healthUrl: 'http://127.0.0.1:3112/health' },
  { name: 'sync-tax', healthUrl: 'http://127.0.0.1:3113/health' },
  { name: 'sync-tthc', healthUrl: 'http://127.0.0.1:3114/health' },
  { name: 'ledger', healthUrl: 'http://127.0.0.1:3106/health' },
  { name: 'ops-console', healthUrl: 'http://127.0.0.1:3101/health' },
];

export function appExists(app: NodeApp): boolean {
  return existsSync(join(ROOT, 'apps', app.name, 'src/main.ts'));
}

export function appEntry(app: NodeApp): string {
  return join(ROOT, 'dist/apps', app.name, 'src/main.js');
}

export function appProcess(app: NodeApp): ManagedProcess {
  return {
    name: app.name,
    pidFile: join(STATE_DIR, app.name, `${app.name}.pid`),
    logFile: join(STATE_DIR, app.name, `${app.name}.log`),
    marker: appEntry(app),
  };
}

export async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}
