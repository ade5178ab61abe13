import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { StackError } from './stack-error.ts';
import { CACHE_DIR, ROOT, STATE_DIR } from './paths.ts';
import { runningPid, startDetached, tail, waitUntil, type ManagedProcess } from './processes.ts';
import { EXTERNAL_OIDC_ISSUER } from './stack-settings.ts';

/**
 * Keycloak, the local stack's OpenID Connect provider: fetched once with Maven into the
 * cache, built once (`kc.sh build`) so that every start is the fast optimized one, run
 * under a Java 21+ JDK (JAVA_HOME set for this process alone) with the realm file
 * `stack/keycloak/realm-citizen-bus.json` imported into its own PostgreSQL database.
 */
const POM = join(ROOT, 'stack/keycloak/pom.xml');
const REALM_FILE = join(ROOT, 'stack/keycloak/realm-citizen-bus.json');
const KC_STATE = join(STATE_DIR, 'keycloak');
/** Generated at the first stack:up; mode 0600, gitignored (.stack/), never printed. */
export const OIDC_SECRETS_FILE = join(STATE_DIR, 'oidc-secrets.json');
export const KEYCLOAK_PORT = 8180;
export const KEYCLOAK_MANAGEMENT_PORT = 9180;
export const OIDC_REALM = 'citizen-bus';
export const OIDC_ISSUER =
  EXTERNAL_OIDC_ISSUER ?? `http://127.0.0.1:${KEYCLOAK_PORT}/realms/${OIDC_REALM}`;
const READY_URL = `http://127.0.0.1:${KEYCLOAK_MANAGEMENT_PORT}/health/ready`;
const OPS_CONSOLE_URL = process.env.OPS_CONSOLE_URL ?? 'http://127.0.0.1:3001';
const BUILD_OPTIONS = ['--db=postgres', '--health-enabled=true'];

/** Confidential clients of the realm (client-credentials grant) and the test users, by name. */
export const CLIENTS = [
  'bhyt-system',
  'land-system',
  'tax-system',
  'tthc-system',
  'share-router',
  'bus-demo',
  'ops-cli',
];
export const USERS = [
  'officer-hanoi',
  'officer-hcmc',
  'registrar-admin',
  'citizen-demo',
  'ops-viewer',
  'ops-operator',
  'ops-dpo',
];

export interface OidcSecrets {
  readonly issuer: string;
  readonly admin: { readonly username: string; readonly password: string };
  readonly clients: Readonly<Record<string, string>>;
  readonly users: Readonly<Record<string, string>>;
}

const envName = (prefix: string, name: string) =>
  `${prefix}_${name.toUpperCase().replaceAll('-', '_')}`;

export function keycloakVersion(): string {
  const match = /<keycloak\.version>([^<]+)<\/keycloak\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!match?.[1]) throw new StackError(`no <keycloak.version> in ${POM}`);
  return match[1];
}

const home = () => join(CACHE_DIR, `keycloak-${keycloakVersion()}`);

export const keycloakProcess = (): ManagedProcess => ({
  name: 'keycloak',
  pidFile: join(KC_STATE, 'keycloak.pid'),
  logFile: join(KC_STATE, 'keycloak.log'),
  // kc.sh execs java: both command lines name the distribution's directory.
  marker: home(),
});

/** The first JDK of version 21 or newer: KEYCLOAK_JAVA_HOME, else one under /usr/lib/jvm. */
export function keycloakJavaHome(): string {
  const major = (dir: string) => {
    const release = join(dir, 'release');
    if (!existsSync(release) || !existsSync(join(dir, 'bin/java'))) return 0;
    const match = /JAVA_VERSION="(\d+)/.exec(readFileSync(release, 'utf8'));
    return match ? Number(match[1]) : 0;
  };
  const configured = process.env.KEYCLOAK_JAVA_HOME;
  if (configured) {
    if (major(configured) >= 21) return configured;
    throw new StackError(`KEYCLOAK_JAVA_HOME=${configured} is not a Java 21+ JDK`);
  }
  const root = '/usr/lib/jvm';
  const found = existsSync(root)
    ? readdirSync(root)
        .map((name) => join(root, name))
        .filter((dir) => major(dir) >= 21)
        .sort((a, b) => major(b) - major(a))
    : [];
  if (!found[0]) {
    throw new StackError(
      'Keycloak needs Java 21 or newer: install one (apt-get install openjdk-21-jre-headless) or set KEYCLOAK_JAVA_HOME.',
    );
  }
  return found[0];
}

/** Maven unpacks the pinned distribution into the cache, once (176 MB). */
function ensureDistribution(): string {
  const dir = home();
  if (existsSync(join(dir, 'bin/kc.sh'))) return dir;
  process.stdout.write(`stack: fetching Keycloak ${keycloakVersion()} with Maven into ${dir}\n`);
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', POM, 'dependency:unpack', `-Dkeycloak.outputDirectory=${CACHE_DIR}`],
    { stdio: 'inherit' },
  );
  if (result.status !== 0 || !existsSync(join(dir, 'bin/kc.sh')))
    throw new StackError('Maven could not fetch the Keycloak distribution (see above).');
  return dir;
}

/** `kc.sh build` once per set of build options: later starts skip Quarkus's augmentation. */
function ensureBuilt(dir: string, javaHome: string): void {
  const marker = join(dir, '.citizen-bus-build');
  const wanted = BUILD_OPTIONS.join(' ');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return;
  process.stdout.write('stack: building Keycloak once for fast starts (kc.sh build)\n');
  const result = spawnSync(join(dir, 'bin/kc.sh'), ['build', ...BUILD_OPTIONS], {
    env: { ...process.env, JAVA_HOME: javaHome },
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new StackError(`kc.sh build failed:\n${result.stdout}\n${result.stderr}`);
  writeFileSync(marker, wanted);
}

const secret = () => randomBytes(24).toString('base64url');

/**
 * The secrets of every client and user of the realm: those already generated are kept, a
 * client or user added to the realm since gets a new one (else its placeholder would stay
 * unresolved in the import).
 */
export function completeSecrets(
  existing: OidcSecrets | undefined,
  generate: () => string = secret,
): OidcSecrets {
  const fill = (names: readonly string[], known: Readonly<Record<string, string>> = {}) =>
    Object.fromEntries(names.map((name) => [name, known[name] ?? generate()]));
  return {
    issuer: existing?.issuer ?? OIDC_ISSUER,
    admin: existing?.admin ?? { username: 'admin', password: generate() },
    clients: { ...existing?.clients, ...fill(CLIENTS, existing?.clients) },
    users: { ...existing?.users, ...fill(USERS, existing?.users) },
  };
}

/** Reads the local provider's secrets, generating those missing (all at the first call). */
export function oidcSecrets(): OidcSecrets {
  const existing = existsSync(OIDC_SECRETS_FILE)
    ? (JSON.parse(readFileSync(OIDC_SECRETS_FILE, 'utf8')) as OidcSecrets)
    : undefined;
  const secrets = completeSecrets(existing);
  if (existing && JSON.stringify(existing) === JSON.stringify(secrets)) return existing;
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(OIDC_SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(OIDC_SECRETS_FILE, 0o600);
  return secrets;
}

/** The realm file's placeholders (`${KC_SECRET_…}`), given to Keycloak's process only. */
function keycloakEnv(javaHome: string, secrets: OidcSecrets): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    JAVA_HOME: javaHome,
    // kc.sh would size the heap from the machine's memory; the stack shares a small machine.
    JAVA_OPTS_KC_HEAP: '-Xms128m -Xmx512m',
    KC_BOOTSTRAP_ADMIN_USERNAME: secrets.admin.username,
    KC_BOOTSTRAP_ADMIN_PASSWORD: secrets.admin.password,
    KC_OPS_CONSOLE_URL: OPS_CONSOLE_URL,
    ...Object.fromEntries(
      Object.entries(secrets.clients).map(([name, value]) => [envName('KC_SECRET', name), value]),
    ),
    ...Object.fromEntries(
      Object.entries(secrets.users).map(([name, value]) => [envName('KC_PASSWORD', name), value]),
    ),
  };
}

/**
 * Keycloak imports a realm only when it does not exist yet. Its database holds the client
 * secrets and passwords of the checkout that imported it (local test data only), so it starts
 * afresh unless this checkout imported this realm: the database's comment names both (another
 * checkout on the same PostgreSQL, a CI clone say, may have imported its own in between).
 */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // Of the parsed realm, so that reformatting the file does not start the provider afresh.
    const realm = JSON.stringify(JSON.parse(readFileSync(REALM_FILE, 'utf8')));
    const hash = createHash('sha256').update(realm).digest('hex');
    const idFile = join(KC_STATE, 'checkout-id');
    if (!existsSync(idFile)) writeFileSync(idFile, randomUUID());
    const marker = `${hash}:${readFileSync(idFile, 'utf8').trim()}`;
    const { rows } = await client.query<{ marker: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (rows.length > 0 && rows[0]?.marker !== marker)
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    if (rows.length === 0 || rows[0]?.marker !== marker) {
      await client.query(`CREATE DATABASE ${name}`);
      await client.query(`COMMENT ON DATABASE ${name} IS '${marker}'`);
    }
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  return `jdbc:postgresql://${url.host}/${name}`;
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function keycloakAnswers(): Promise<boolean> {
  try {
    const response = await fetch(`${OIDC_ISSUER}/.well-known/openid-configuration`, {
      // A provider on a loaded machine may take a few seconds to answer: it is still there.
      signal: AbortSignal.timeout(5_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** 'external': a provider this checkout did not start answers on the port; it is used as is. */
export async function startKeycloak(
  databaseServerUrl: string,
  timeoutMs = 300_000,
): Promise<'running' | 'started' | 'external'> {
  const proc = keycloakProcess();
  if (await keycloakAnswers()) return runningPid(proc) === undefined ? 'external' : 'running';
  if (EXTERNAL_OIDC_ISSUER) {
    // Not ours to start: wait for it (it may be starting on a loaded machine), never start one.
    if (await waitUntil(keycloakAnswers, timeoutMs, () => false)) return 'external';
    throw new StackError(`STACK_OIDC_ISSUER=${EXTERNAL_OIDC_ISSUER} does not answer`);
  }
  if (runningPid(proc) === undefined && (await portInUse(KEYCLOAK_PORT))) {
    // Another checkout's provider is starting or slow: wait for it, never start a second one
    // (nor drop the database under it).
    if (await waitUntil(keycloakAnswers, timeoutMs, () => false)) return 'external';
    throw new StackError(`port ${KEYCLOAK_PORT} is taken by something that is not Keycloak`);
  }
  const javaHome = keycloakJavaHome();
  const dir = ensureDistribution();
  ensureBuilt(dir, javaHome);
  const secrets = oidcSecrets();
  if (runningPid(proc) === undefined) {
    const db = new URL(databaseServerUrl);
    mkdirSync(KC_STATE, { recursive: true });
    const jdbc = await ensureDatabase(databaseServerUrl, 'bus_keycloak');
    // Keycloak imports from <home>/data/import; IGNORE_EXISTING keeps a realm already imported.
    mkdirSync(join(dir, 'data/import'), { recursive: true });
    copyFileSync(REALM_FILE, join(dir, 'data/import/realm-citizen-bus.json'));
    startDetached(
      proc,
      join(dir, 'bin/kc.sh'),
      [
        'start',
        '--optimized',
        `--db-url=${jdbc}`,
        `--db-username=${decodeURIComponent(db.username) || 'postgres'}`,
        `--db-password=${decodeURIComponent(db.password)}`,
        '--http-enabled=true',
        '--http-host=127.0.0.1',
        `--http-port=${KEYCLOAK_PORT}`,
        `--http-management-port=${KEYCLOAK_MANAGEMENT_PORT}`,
        '--hostname-strict=false',
        '--import-realm',
      ],
      { cwd: KC_STATE, env: keycloakEnv(javaHome, secrets) },
    );
  }
  const ready = await waitUntil(
    async () => (await fetch(READY_URL, { signal: AbortSignal.timeout(1_000) })).ok,
    timeoutMs,
    () => runningPid(proc) === undefined,
  );
  if (!ready) {
    const why =
      runningPid(proc) === undefined ? 'exited' : `was not ready within ${timeoutMs / 1000}s`;
    throw new StackError(`Keycloak ${why}. Last log lines:\n${tail(proc.logFile)}`);
  }
  return 'started';
}
