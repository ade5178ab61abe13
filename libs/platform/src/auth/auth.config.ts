import { z } from 'zod';
import { env, loadConfig } from '../config/load-config';

/** Asymmetric algorithms only: a shared-secret (HS*) or `none` token is never accepted. */
export const ALLOWED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export const DEFAULT_OIDC_ISSUER = 'http://127.0.0.1:8180/realms/citizen-bus';

export interface AuthConfig {
  /** The provider's issuer (`iss`), e.g. a Keycloak realm URL. */
  readonly issuer: string;
  /** Where the signing keys are published; Keycloak's certs endpoint by default. */
  readonly jwksUrl: string;
  /** This service's audience (`aud`): the provider's client ID of this API. */
  readonly audience: string;
  readonly algorithms: readonly string[];
  /** Tolerance on `exp`/`nbf` for clocks that drift apart. */
  readonly clockSkewSeconds: number;
}

const csv = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

const AuthConfigSchema = z.object({
  OIDC_ISSUER: env.url(DEFAULT_OIDC_ISSUER),
  OIDC_JWKS_URL: z.url().optional(),
  OIDC_ALGORITHMS: z
    .string()
    .default('RS256')
    .transform(csv)
    .refine(
      (algs) =>
        algs.length > 0 && algs.every((a) => (ALLOWED_ALGORITHMS as readonly string[]).includes(a)),
      { message: `must be a comma-separated subset of ${ALLOWED_ALGORITHMS.join(', ')}` },
    ),
  OIDC_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(120).default(30),
});

/**
 * The provider's settings, shared by every HTTP app; the audience is the app's own
 * (`<APP>_OIDC_AUDIENCE` overrides the default, e.g. NATIONAL_POPULATION_OIDC_AUDIENCE).
 */
export function loadAuthConfig(
  service: string,
  source: Record<string, string | undefined> = process.env,
): AuthConfig {
  const prefix = service.toUpperCase().replaceAll('-', '_');
  const c = loadConfig(`${service} authentication`, AuthConfigSchema, source);
  const [audience] = Object.values(
    loadConfig(
      `${service} authentication`,
      z.object({ [`${prefix}_OIDC_AUDIENCE`]: z.string().min(1).max(200).default(service) }),
      source,
    ),
  ) as [string];
  const issuer = c.OIDC_ISSUER.replace(/\/+$/, '');
  return {
    issuer,
    jwksUrl: c.OIDC_JWKS_URL ?? `${issuer}/protocol/openid-connect/certs`,
    audience,
    algorithms: c.OIDC_ALGORITHMS,
    clockSkewSeconds: c.OIDC_CLOCK_SKEW_SECONDS,
  };
}
