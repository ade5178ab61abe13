import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from './auth.config';

describe('loadAuthConfig', () => {
  it("defaults to the local realm, Keycloak's JWKS path, RS256 and the app's own audience", () => {
    expect(loadAuthConfig('sync-bhyt', {})).toEqual({
      issuer: 'http://127.0.0.1:8180/realms/citizen-bus',
      jwksUrl: 'http://127.0.0.1:8180/realms/citizen-bus/protocol/openid-connect/certs',
      audience: 'sync-bhyt',
      algorithms: ['RS256'],
      clockSkewSeconds: 30,
    });
  });

  it('takes the audience from <APP>_OIDC_AUDIENCE and the JWKS URL as given', () => {
    const config = loadAuthConfig('national-population', {
      OIDC_ISSUER: 'https://id.example.gov.vn/realms/bus/',
      OIDC_JWKS_URL: 'https://id.example.gov.vn/keys',
      NATIONAL_POPULATION_OIDC_AUDIENCE: 'npd-api',
      OIDC_ALGORITHMS: 'RS256, ES256',
    });
    expect(config).toMatchObject({
      issuer: 'https://id.example.gov.vn/realms/bus',
      jwksUrl: 'https://id.example.gov.vn/keys',
      audience: 'npd-api',
      algorithms: ['RS256', 'ES256'],
    });
  });

  it('refuses shared-secret and unsigned algorithms, and a skew beyond two minutes', () => {
    expect(() => loadAuthConfig('x', { OIDC_ALGORITHMS: 'HS256' })).toThrow(/OIDC_ALGORITHMS/);
    expect(() => loadAuthConfig('x', { OIDC_ALGORITHMS: 'none' })).toThrow(/OIDC_ALGORITHMS/);
    expect(() => loadAuthConfig('x', { OIDC_CLOCK_SKEW_SECONDS: '600' })).toThrow(
      /OIDC_CLOCK_SKEW_SECONDS/,
    );
    expect(() => loadAuthConfig('x', { OIDC_ISSUER: 'not a url' })).toThrow(/OIDC_ISSUER/);
  });
});
