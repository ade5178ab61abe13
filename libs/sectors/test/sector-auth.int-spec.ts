import { describe, expect, it } from 'vitest';
import type { Sector } from '@bus/contracts';
import {
  bearer,
  clientToken,
  expiredUserToken,
  userToken,
  waitFor,
  type TestClient,
} from '@bus/testing';
import { lifeStory, PERSON } from './life-story';
import { follow, sectorStack, startSector } from './sector-stack';

const ALL: Sector[] = ['bhyt', 'land', 'tax', 'tthc'];
const system = (id: Sector) => `${id}-system` as TestClient;

describe("sector APIs: each sector system reads its own sync API and nothing else's", () => {
  it.each(ALL)('GET /citizens/:id on sync-%s', async (id) => {
    // This file's apps run in its own worker: an expired token is refused at once.
    process.env.OIDC_CLOCK_SKEW_SECONDS = '0';
    const s = await sectorStack(1);
    await startSector(s, id);
    // Land is delivered only the citizens it follows.
    if (id === 'land') await follow(s, id, [PERSON]);
    // Birth, temporary residence, ID card: land learns of a citizen at the card (a newborn is no land user).
    await s.publish(lifeStory().slice(0, 3));
    const get = async (headers: Record<string, string> = {}) =>
      (await fetch(`${s.urls[id]}/citizens/${PERSON}`, { headers })).status;

    const own = bearer(await clientToken(system(id)));
    // Each sector is shared only some of these events; the record exists once one arrived.
    await waitFor(async () => (await get(own)) === 200, { description: `${id} holds the citizen` });

    expect(await get()).toBe(401);
    expect(await get({ authorization: 'Bearer not.a.jwt' })).toBe(401);
    for (const other of ALL.filter((o) => o !== id))
      expect({ other, status: await get(bearer(await clientToken(system(other)))) }).toEqual({
        other,
        status: 401,
      });
    // People's tokens are issued for the population API, not for a sector's.
    expect(await get(bearer(await userToken('registrar-admin')))).toBe(401);
    // The data-protection officer's token is for this API too, but without the reader role;
    // once expired it is not looked at further.
    expect(await get(bearer(await userToken('ops-dpo')))).toBe(403);
    expect(await get(bearer(await expiredUserToken('ops-dpo')))).toBe(401);
    expect(await get(own)).toBe(200);

    const trail = await fetch(`${s.urls[id]}/audit?citizen=${PERSON}`, {
      headers: bearer(await userToken('ops-dpo')),
    });
    expect(trail.status).toBe(200);
    expect(((await trail.json()) as unknown[]).length).toBeGreaterThan(0);
    expect((await fetch(`${s.urls[id]}/audit`, { headers: own })).status).toBe(403);

    // Only the sector's own system got through; its reads are in the audit trail.
    const { rows } = await s.pools[id].query(
      "SELECT DISTINCT client_id, action, citizen_id FROM audit_trail WHERE action <> 'audit.query'",
    );
    expect(rows).toEqual([
      { client_id: system(id), action: 'sector.read-citizen', citizen_id: PERSON },
    ]);
  });
});
