import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { kafkaClientEnv } from '../kafka-security.ts';
import { oidcSecrets } from '../keycloak.ts';
import { ROOT, STATE_DIR } from '../paths.ts';
import { serviceDatabaseUrl } from '../postgres-roles.ts';
import { registryClientEnv, type RegistryRole } from '../registry-users.ts';
import { StackError } from '../stack-error.ts';
import { DATABASE_URL, EXTERNAL_OIDC_ISSUER, REGISTRY_PORT } from '../stack-settings.ts';
import { kafkaNodesEnv } from '../kafka-nodes.ts';

export const SECTORS = ['bhyt', 'land', 'tax', 'tthc'] as const;
export type Sector = (typeof SECTORS)[number];

/** The apps' ports: away from the documented ones (another stack's apps use them) and below the kernel's ephemeral range (32768 and up), where an outgoing connection may hold one. */
export const CHAOS_PORT_BASE = Number(process.env.CHAOS_PORT_BASE ?? 24_000);
export const LOG_DIR = join(STATE_DIR, 'chaos', 'logs');

export interface InstanceSpec {
  /** e.g. `national-population`, `share-router`, `sync-bhyt` */
  readonly app: string;
  readonly index: number;
  readonly port: number;
  /** /health and /metrics (the router serves them on its one port). */
  readonly managementPort: number;
  readonly entry: string;
  readonly env: Record<string, string>;
}

const roleOf = (app: string): { principal: string; registry: RegistryRole } =>
  app === 'national-population'
    ? { principal: 'relay', registry: 'writer' }
    : app === 'share-router'
      ? { principal: 'share-router', registry: 'writer' }
      : { principal: app, registry: 'reader' };

/** One app instance as its own process (`node dist/apps/...`), logs kept under .stack/chaos. */
export class Instance {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  restarts = 0;

  readonly spec: InstanceSpec;

  constructor(spec: InstanceSpec) {
    this.spec = spec;
  }

  get name(): string {
    return `${this.spec.app}-${this.spec.index}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && !this.child.signalCode;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get healthUrl(): string {
    return `http://127.0.0.1:${this.spec.managementPort}/health`;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  start(): void {
    if (this.running) return;
    mkdirSync(LOG_DIR, { recursive: true });
    this.log = createWriteStream(join(LOG_DIR, `${this.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [join(ROOT, this.spec.entry)], {
      cwd: ROOT,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
  }

  /** SIGKILL (the fault) and wait until the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.kill('SIGKILL');
    this.restarts++;
    this.start();
  }

  /** The /health answer: 200 or not, and its body (what a 503 says is failing). */
  async health(): Promise<{ ok: boolean; body: string }> {
    try {
      // Generous: on a saturated machine a busy app answers its probe late, not wrongly.
      const response = await fetch(this.healthUrl, { signal: AbortSignal.timeout(5_000) });
      return { ok: response.ok, body: (await response.text()).slice(0, 300) };
    } catch (error) {
      return { ok: false, body: error instanceof Error ? error.message : String(error) };
    }
  }

  async waitHealthy(timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { ok, body } = await this.health();
      if (ok) return;
      if (!this.running) throw new StackError(`${this.name} exited (see ${LOG_DIR})`);
      if (Date.now() > deadline)
        throw new StackError(`${this.name} was not healthy after ${timeoutMs / 1000}s: ${body}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  /** A gauge or counter of the instance's /metrics (sum over its label sets), or undefined. */
  async metric(name: string): Promise<number | undefined> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.spec.managementPort}/metrics`, {
        signal: AbortSignal.timeout(2_000),
      });
      const text = await response.text();
      const values = text
        .split('\n')
        .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
        .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
      return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
    } catch {
      return undefined;
    }
  }
}

export interface FleetShape {
  readonly nationals: number;
  readonly routers: number;
  readonly perSector: number;
}

/**
 * The bus as the campaign runs it: `nationals` national-population instances (each with its
 * relay: one leads, the others stand by), `routers` share routers in one group and
 * `perSector` instances of each sector's sync service, each as its own principal.
 */
export class Fleet {
  readonly nationals: Instance[] = [];
  readonly routers: Instance[] = [];
  readonly sectors = new Map<Sector, Instance[]>();

  constructor(shape: FleetShape) {
    const base = {
      ...kafkaNodesEnv(),
      SCHEMA_REGISTRY_URL: `http://127.0.0.1:${REGISTRY_PORT}`,
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'info',
      ...(EXTERNAL_OIDC_ISSUER ? { OIDC_ISSUER: EXTERNAL_OIDC_ISSUER } : {}),
    };
    const envOf = (app: string): Record<string, string> => {
      const { principal, registry } = roleOf(app);
      return {
        ...base,
        ...kafkaClientEnv(principal),
        ...registryClientEnv(registry),
        DATABASE_URL: serviceDatabaseUrl(DATABASE_URL, app) ?? DATABASE_URL,
      };
    };
    for (let i = 0; i < shape.nationals; i++) {
      this.nationals.push(
        new Instance({
          app: 'national-population',
          index: i,
          port: CHAOS_PORT_BASE + i,
          managementPort: CHAOS_PORT_BASE + 100 + i,
          entry: 'dist/apps/national-population/src/main.js',
          env: {
            ...envOf('national-population'),
            PORT: String(CHAOS_PORT_BASE + i),
            MANAGEMENT_PORT: String(CHAOS_PORT_BASE + 100 + i),
            RELAY_ENABLED: 'true',
          },
        }),
      );
    }
    const secret = oidcSecrets().clients['share-router'];
    for (let i = 0; i < shape.routers; i++) {
      const port = CHAOS_PORT_BASE + 5 + i;
      this.routers.push(
        new Instance({
          app: 'share-router',
          index: i,
          port,
          managementPort: port,
          entry: 'dist/apps/share-router/src/main.js',
          env: {
            ...envOf('share-router'),
            PORT: String(port),
            SHARE_ROUTER_INSTANCE: String(i),
            NATIONAL_API_URL: `http://127.0.0.1:${CHAOS_PORT_BASE}`,
            ...(secret ? { SHARE_ROUTER_CLIENT_SECRET: secret } : {}),
          },
        }),
      );
    }
    SECTORS.forEach((sector, s) => {
      const instances: Instance[] = [];
      for (let i = 0; i < shape.perSector; i++) {
        const port = CHAOS_PORT_BASE + 10 + s * 10 + i;
        instances.push(
          new Instance({
            app: `sync-${sector}`,
            index: i,
            port,
            managementPort: port + 100,
            entry: `dist/apps/sync-${sector}/src/main.js`,
            env: {
              ...envOf(`sync-${sector}`),
              PORT: String(port),
              MANAGEMENT_PORT: String(port + 100),
            },
          }),
        );
      }
      this.sectors.set(sector, instances);
    });
  }

  all(): Instance[] {
    return [...this.nationals, ...this.routers, ...[...this.sectors.values()].flat()];
  }

  sector(sector: Sector): Instance[] {
    return this.sectors.get(sector) ?? [];
  }

  /** The national instance whose relay holds the leader lock now, if any answers. */
  async relayLeader(): Promise<Instance | undefined> {
    for (const instance of this.nationals) {
      if (instance.running && (await instance.metric('population_outbox_relay_leader')) === 1)
        return instance;
    }
    return undefined;
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((instance) => instance.kill('SIGTERM')));
  }
}
