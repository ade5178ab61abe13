import type { CitizenChanged } from '@bus/contracts';
import { ErrorCode, TransientError } from '@bus/platform';
import type { CitizenStateSource } from '../application/citizen-state.port';
import type { ShareRouterConfig } from '../application/share-router.config';

/** A token is renewed this long before it expires (clock skew, a slow request). */
const RENEW_BEFORE_MS = 30_000;
const TIMEOUT_MS = 10_000;

const unavailable = (message: string, cause?: unknown) =>
  new TransientError(ErrorCode.FILL_STATE_UNAVAILABLE, message, cause ? { cause } : undefined);

/**
 * The national API's `GET /citizens/{id}/state` (role `state-reader`), called with the
 * router's own client-credentials token. Messages never carry the ID (it is in the URL).
 */
export class NationalStateSource implements CitizenStateSource {
  private token?: { readonly value: string; readonly renewAt: number };

  constructor(
    private readonly fill: ShareRouterConfig['fill'],
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async current(personalId: string): Promise<CitizenChanged | null> {
    let response = await this.get(personalId);
    if (response.status === 401) {
      // A token revoked or a key rotated before its expiry: one more try with a new one.
      this.token = undefined;
      response = await this.get(personalId);
    }
    if (response.status === 404) return null;
    if (!response.ok) {
      throw unavailable(`the national API answered ${response.status} to a fill's state request`);
    }
    return (await response.json()) as CitizenChanged;
  }

  private async get(personalId: string): Promise<Response> {
    const token = await this.bearer();
    return this.call(`${this.fill.nationalApiUrl}/citizens/${personalId}/state`, {
      headers: { authorization: `Bearer ${token}` },
    });
  }

  private async bearer(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return this.token.value;
    const { tokenUrl, clientId, clientSecret } = this.fill;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId });
    if (clientSecret) form.set('client_secret', clientSecret);
    const response = await this.call(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
    };
    if (!response.ok || !body.access_token) {
      throw unavailable(`the provider refused the router's token (${response.status})`);
    }
    const lifetimeMs = (body.expires_in ?? 60) * 1_000;
    this.token = {
      value: body.access_token,
      renewAt: Date.now() + Math.max(0, lifetimeMs - RENEW_BEFORE_MS),
    };
    return body.access_token;
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchFn(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw unavailable('the national API or the provider did not answer a fill', error);
    }
  }
}
