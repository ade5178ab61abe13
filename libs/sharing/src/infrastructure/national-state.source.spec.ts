import { describe, expect, it } from 'vitest';
import { sampleCitizenChanged } from '@bus/contracts';
import { NationalStateSource } from './national-state.source';

const ID = '079201012345';
const fill = {
  nationalApiUrl: 'http://national',
  tokenUrl: 'http://idp/token',
  clientId: 'share-router',
  clientSecret: 's3cret',
};

/** A fake network: the provider's token endpoint and the national API, answering in turn. */
function network(answers: Record<string, (() => Response)[]>) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetchFn = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const next = answers[url]?.shift();
    if (!next) throw new TypeError('fetch failed');
    return next();
  }) as typeof fetch;
  return { calls, fetchFn };
}

const json =
  (body: unknown, status = 200) =>
  () =>
    Response.json(body, { status });

describe('NationalStateSource', () => {
  it('reads the state with the router client token and keeps the token while valid', async () => {
    const state = sampleCitizenChanged('RECORD_CORRECTED', { personalId: ID, version: 4 });
    const { calls, fetchFn } = network({
      'http://idp/token': [json({ access_token: 'T1', expires_in: 300 })],
      [`http://national/citizens/${ID}/state`]: [json(state), json(state)],
    });
    const source = new NationalStateSource(fill, fetchFn);
    expect(await source.current(ID)).toMatchObject({ personalId: ID, version: 4 });
    await source.current(ID);
    expect(calls.map((c) => c.url)).toEqual([
      'http://idp/token',
      `http://national/citizens/${ID}/state`,
      `http://national/citizens/${ID}/state`,
    ]);
    expect(String(calls[0]?.init?.body)).toContain('grant_type=client_credentials');
    expect(new Headers(calls[1]?.init?.headers).get('authorization')).toBe('Bearer T1');
  });

  it('answers null for a number the national side does not hold; renews a refused token once', async () => {
    const { fetchFn } = network({
      'http://idp/token': [json({ access_token: 'T1' }), json({ access_token: 'T2' })],
      [`http://national/citizens/${ID}/state`]: [json({}, 401), json({}, 404)],
    });
    expect(await new NationalStateSource(fill, fetchFn).current(ID)).toBeNull();
  });

  it('fails transiently, without the ID in the message, when the API or provider cannot answer', async () => {
    const down = new NationalStateSource(fill, network({}).fetchFn);
    await expect(down.current(ID)).rejects.toMatchObject({
      code: 'FILL_STATE_UNAVAILABLE',
      retriable: true,
    });
    const refused = network({ 'http://idp/token': [json({ error: 'unauthorized_client' }, 401)] });
    const error = await new NationalStateSource(fill, refused.fetchFn).current(ID).catch((e) => e);
    expect(error).toMatchObject({ code: 'FILL_STATE_UNAVAILABLE' });
    expect(String(error.message)).not.toContain(ID);
  });
});
