import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { testStack } from './test-stack';

/**
 * Tokens from the stack's real OpenID Connect provider (Keycloak, realm `citizen-bus`):
 * users by the password grant of the local `bus-cli` client, sector systems by the
 * client-credentials grant. Secrets come from the file stack:up generated (.stack/).
 */
interface OidcSecrets {
  readonly issuer: string;
  readonly clients: Readonly<Record<string, string>>;
  readonly users: Readonly<Record<string, string>>;
}

export type TestUser =
  | 'officer-hanoi'
  | 'officer-hcmc'
  | 'registrar-admin'
  | 'citizen-demo'
  | 'ops-viewer'
  | 'ops-operator'
  | 'ops-dpo';

export type TestClient =
  'bhyt-system' | 'land-system' | 'tax-system' | 'tthc-system' | 'bus-demo' | 'ops-cli';

/** The citizen-demo user's personal ID (its `personal_id` claim in the realm file). */
export const CITIZEN_DEMO_PERSONAL_ID = '001195000001';

function secrets(): OidcSecrets {
  const file =
    testStack().oidc?.secretsFile ?? resolve(__dirname, '../../.stack/oidc-secrets.json');
  if (!existsSync(file))
    throw new Error(`no OIDC secrets at ${file}: run npm run stack:up (it starts the provider)`);
  return JSON.parse(readFileSync(file, 'utf8')) as OidcSecrets;
}

export function oidcIssuer(): string {
  return testStack().oidc?.issuer ?? secrets().issuer;
}

async function token(form: Record<string, string>): Promise<string> {
  const response = await fetch(`${oidcIssuer()}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!response.ok || !body.access_token)
    throw new Error(`the provider refused a test token: ${response.status} ${body.error ?? ''}`);
  return body.access_token;
}

const cache = new Map<string, Promise<string>>();
const cached = (key: string, get: () => Promise<string>) => {
  if (!cache.has(key)) cache.set(key, get());
  return cache.get(key)!;
};

/** A user's access token (valid for the realm's 5 minutes; cached per test file). */
export function userToken(user: TestUser): Promise<string> {
  return cached(`user:${user}`, () =>
    token({
      grant_type: 'password',
      client_id: 'bus-cli',
      username: user,
      password: secrets().users[user]!,
      scope: 'openid',
    }),
  );
}

/** A sector system's (or tool's) token by the client-credentials grant. */
export function clientToken(client: TestClient): Promise<string> {
  return cached(`client:${client}`, () =>
    token({
      grant_type: 'client_credentials',
      client_id: client,
      client_secret: secrets().clients[client]!,
    }),
  );
}

/**
 * A token that has already expired: issued by the test-only `bus-cli-expiring` client
 * (one-second lifetime), returned once its `exp` is behind us. Apps under test run with
 * OIDC_CLOCK_SKEW_SECONDS=0 to see it as expired at once.
 */
export async function expiredUserToken(user: TestUser): Promise<string> {
  return cached(`expired:${user}`, async () => {
    const value = await token({
      grant_type: 'password',
      client_id: 'bus-cli-expiring',
      username: user,
      password: secrets().users[user]!,
    });
    const payload = JSON.parse(Buffer.from(value.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
    };
    const wait = payload.exp * 1000 - Date.now() + 50;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return value;
  });
}

/** Environment for an app under test: the stack's provider, no clock skew. */
export function oidcTestEnv(): Record<string, string> {
  return { OIDC_ISSUER: oidcIssuer(), OIDC_CLOCK_SKEW_SECONDS: '0' };
}

export const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

/** A test user's password, for a test that signs in through the provider's login page. */
export function userPassword(user: TestUser): string {
  return secrets().users[user]!;
}
