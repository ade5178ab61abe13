import { OIDC_ISSUER, oidcSecrets } from './keycloak.ts';
import { StackError } from './stack-error.ts';

/**
 * Access tokens from the stack's OpenID provider for the tools (bench, fault campaign): a
 * local test user's (password grant of the bus-cli client) or a confidential client's.
 */
export class TokenSource {
  private token: string | undefined;
  private fetchedAt = 0;

  private readonly form: () => Record<string, string>;
  private readonly issuer: string;

  constructor(form: () => Record<string, string>, issuer = OIDC_ISSUER) {
    this.form = form;
    this.issuer = issuer;
  }

  static user(name: string): TokenSource {
    return new TokenSource(() => ({
      grant_type: 'password',
      client_id: 'bus-cli',
      username: name,
      password: oidcSecrets().users[name] ?? '',
      scope: 'openid',
    }));
  }

  static client(name: string): TokenSource {
    return new TokenSource(() => ({
      grant_type: 'client_credentials',
      client_id: name,
      client_secret: oidcSecrets().clients[name] ?? '',
    }));
  }

  /** A token, renewed a minute before the realm's five minutes are up. */
  async get(): Promise<string> {
    if (this.token && Date.now() - this.fetchedAt < 240_000) return this.token;
    const response = await fetch(`${this.issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(this.form()),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!response.ok || !body.access_token)
      throw new StackError(`the OpenID provider refused a token (${response.status})`);
    this.token = body.access_token;
    this.fetchedAt = Date.now();
    return this.token;
  }
}
