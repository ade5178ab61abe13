import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STATE_DIR } from './paths.ts';
import type { ManagedProcess } from './processes.ts';
import { REGISTRY_PORT } from './stack-settings.ts';

/** The bus's Node apps, in start order. An app joins once its main.ts exists. */
export interface NodeApp {
  readonly name: string;
  /** Health endpoint (on the app's management port) that answers 200 when it is ready. */
  readonly healthUrl?: string;
  /** Part of the infrastructure that `stack:up` brings up (the schema registry). */
  readonly infrastructure?: boolean;
  /** The Kafka principal it connects as (docs/data-plane-security.md); none: no Kafka client. */
  readonly kafkaPrincipal?: string;
  /** Its schema-registry role: writers register the schemas they produce with. */
  readonly registryRole?: 'reader' | 'writer';
}

export const NODE_APPS: readonly NodeApp[] = [
  {
    name: 'schema-registry',
    healthUrl: `http://127.0.0.1:${REGISTRY_PORT}/health`,
    infrastructure: true,
  },
  // The national service's only Kafka client is its outbox relay.
  {
    name: 'national-population',
    healthUrl: 'http://127.0.0.1:3100/health',
    kafkaPrincipal: 'relay',
    registryRole: 'writer',
  },
  {
    name: 'share-router',
    healthUrl: 'http://127.0.0.1:3005/health',
    kafkaPrincipal: 'share-router',
    registryRole: 'writer',
  },
  {
    name: 'sync-bhyt',
    healthUrl: 'http://127.0.0.1:3111/health',
    kafkaPrincipal: 'sync-bhyt',
    registryRole: 'reader',
  },
  {
    name: 'sync-land',
    healthUrl: 'http://127.0.0.1:3112/health',
    kafkaPrincipal: 'sync-land',
    registryRole: 'reader',
  },
  {
    name: 'sync-tax',
    healthUrl: 'http://127.0.0.1:3113/health',
    kafkaPrincipal: 'sync-tax',
    registryRole: 'reader',
  },
  {
    name: 'sync-tthc',
    healthUrl: 'http://127.0.0.1:3114/health',
    kafkaPrincipal: 'sync-tthc',
    registryRole: 'reader',
  },
  { name: 'ledger', healthUrl: 'http://127.0.0.1:3106/health', kafkaPrincipal: 'ledger' },
  {
    name: 'ops-console',
    healthUrl: 'http://127.0.0.1:3101/health',
    kafkaPrincipal: 'ops-console',
    registryRole: 'reader',
  },
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
