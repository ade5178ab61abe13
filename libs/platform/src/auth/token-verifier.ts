import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { TransientError, UnauthenticatedError } from '../errors/bus-error';
import { ErrorCode } from '../errors/error-codes';
import type { AuthConfig } from './auth.config';
import type { Principal } from './principal';

const challenge = (error?: string, description?: string) =>
  [
    'Bearer realm="citizen-bus"',
    ...(error ? [`error="${error}"`] : []),
    ...(description ? [`error_description="${description}"`] : []),
  ].join(', ');

/** RFC 6750 §3.1: a request without a credential gets a challenge without an error code. */
export const missingToken = () =>
  new UnauthenticatedError(ErrorCode.TOKEN_MISSING, 'A bearer token is required', challenge());

const invalidToken = (description: string, cause?: unknown) =>
  new UnauthenticatedError(
    ErrorCode.TOKEN_INVALID,
    `The bearer token was refused: ${description}`,
    challenge('invalid_token', description),
    { cause },
  );

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} is not valid`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'signed with an unknown key';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature does not verify';
  return 'malformed';
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/**
 * Roles on this audience: Keycloak's client roles (`resource_access.<audience>.roles`),
 * or a flat `roles` claim from providers that issue one.
 */
function rolesFor(payload: JWTPayload, audience: string): string[] {
  const access = payload.resource_access as Record<string, { roles?: unknown }> | undefined;
  return [...new Set([...strings(access?.[audience]?.roles), ...strings(payload.roles)])];
}

/**
 * Verifies bearer JWTs against the provider's published keys. Services never sign:
 * the key set is fetched from the JWKS URL, cached, and fetched again when a token
 * names a key (`kid`) it does not hold yet (after a rotation), at most every 30 s.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly config: AuthConfig) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUrl), {
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    if (!authorization) throw missingToken();
    const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/i.exec(
      authorization.trim(),
    );
    if (!match?.[1]) throw invalidToken('not a bearer JWT');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: [...this.config.algorithms],
        clockTolerance: this.config.clockSkewSeconds,
        requiredClaims: ['exp', 'sub', 'iat'],
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
        throw new TransientError(
          ErrorCode.OIDC_KEYS_UNAVAILABLE,
          'The signing keys could not be fetched',
          {
            cause: error,
          },
        );
      if (error instanceof TypeError)
        throw new TransientError(ErrorCode.OIDC_KEYS_UNAVAILABLE, 'The provider does not answer', {
          cause: error,
        });
      throw invalidToken(reason(error), error);
    }
    return {
      subject: payload.sub!,
      clientId: text(payload.azp) ?? text(payload.client_id) ?? '',
      username: text(payload.preferred_username),
      roles: rolesFor(payload, this.config.audience),
      agency: text(payload.agency),
      personalId: text(payload.personal_id),
    };
  }
}
