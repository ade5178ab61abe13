import { describe, expect, it } from 'vitest';
import { SECTORS, sharingPolicy, type Sector } from '@bus/contracts';
import { waitFor } from '@bus/testing';
import { FATHER, lifeStory, PERSON } from '../../sectors/test/life-story';
import { follow, sectorStack, startSector, waitForVersion } from '../../sectors/test/sector-stack';
import { disclosures, startLedger, type DisclosureRow } from './ledger-harness';

/** Which of the story's seven events each sector's policy lets through. */
const RECEIVED: Record<Sector, string[]> = {
  bhyt: [
    'BIRTH_REGISTERED',
    'TEMPORARY_RESIDENCE_CHANGED',
    'ID_CARD_ISSUED',
    'PERMANENT_RESIDENCE_CHANGED',
    'RECORD_CORRECTED',
    'DEATH_REGISTERED',
  ],
  land: [
    'ID_CARD_ISSUED',
    'MARITAL_STATUS_CHANGED',
    'PERMANENT_RESIDENCE_CHANGED',
    'RECORD_CORRECTED',
    'DEATH_REGISTERED',
  ],
  tax: [
    'BIRTH_REGISTERED',
    'TEMPORARY_RESIDENCE_CHANGED',
    'MARITAL_STATUS_CHANGED',
    'PERMANENT_RESIDENCE_CHANGED',
    'RECORD_CORRECTED',
    'DEATH_REGISTERED',
  ],
  tthc: [
    'BIRTH_REGISTERED',
    'TEMPORARY_RESIDENCE_CHANGED',
    'ID_CARD_ISSUED',
    'MARITAL_STATUS_CHANGED',
    'PERMANENT_RESIDENCE_CHANGED',
    'RECORD_CORRECTED',
    'DEATH_REGISTERED',
  ],
};
const TOTAL = Object.values(RECEIVED).reduce((n, types) => n + types.length, 0);

const of = (rows: DisclosureRow[], sector: Sector) => rows.filter((r) => r.recipient === sector);

describe('ledger acceptance: a life story through router and sectors into the ledger', () => {
  it('holds exactly the deliveries that committed, with each sector fields, once', async () => {
    const s = await sectorStack(3);
    const { url } = await startLedger(s.receiptsTopic);
    for (const id of SECTORS) await startSector(s, id);
    // Land is delivered only the citizens it follows.
    await follow(s, 'land', [PERSON]);
    await s.publish(lifeStory());
    for (const id of SECTORS) await waitForVersion(s, id, PERSON, 7);

    const rows = await waitFor(
      async () => {
        const r = await disclosures(url, PERSON);
        return r.body.disclosures?.length === TOTAL ? r.body.disclosures : false;
      },
      { description: `${TOTAL} disclosures`, timeoutMs: 45_000 },
    );
    for (const sector of SECTORS) {
      expect(of(rows, sector).map((r) => r.eventType)).toEqual(RECEIVED[sector]);
      for (const row of of(rows, sector)) {
        expect(row.policyVersion).toBe(sharingPolicy().document.policyVersion);
      }
    }
    // The fields each sector received, as its projection gave them.
    const bhytBirth = of(rows, 'bhyt')[0];
    expect(bhytBirth?.fields).toEqual(
      expect.arrayContaining(['personalId', 'fullName', 'fatherId']),
    );
    // Parents only under 6: the death at 25 carried none to bhyt.
    expect(of(rows, 'bhyt').at(-1)?.fields).not.toContain('fatherId');
    for (const row of of(rows, 'land')) {
      expect(row.fields).not.toContain('fatherId');
      expect(row.fields).not.toContain('temporaryResidence');
    }
    expect(
      of(rows, 'land').find((r) => r.eventType === 'MARITAL_STATUS_CHANGED')?.fields,
    ).toContain('spouseId');
    for (const row of of(rows, 'tax')) expect(row.fields).not.toContain('idCardNumber');
    // Ethnicity (sensitive) only where a law needs it: bhyt. The others get it redacted.
    expect(bhytBirth?.fields).toContain('ethnicity');
    for (const sector of ['land', 'tax', 'tthc'] as const) {
      for (const row of of(rows, sector)) expect(row.fields).not.toContain('ethnicity');
    }
    expect(of(rows, 'tax')[0]).toMatchObject({
      recipientName: 'Tax administration (General Department of Taxation)',
      legalBasis: expect.arrayContaining(['Law on Tax Administration No. 38/2019/QH14']),
    });

    // The whole story again: every event is a duplicate, nothing is applied, no new receipt.
    await s.publish(lifeStory());
    await waitFor(
      async () =>
        (await fetch(`${s.urls.tthc}/metrics`).then((r) => r.text())).match(
          /sector_sync_events_skipped_total\{[^}]*\} 7/,
        ),
      { description: 'tthc skipped the replayed story', timeoutMs: 30_000 },
    );
    expect((await disclosures(url, PERSON)).body.disclosures).toHaveLength(TOTAL);
    // The father is named in the story but no event was about him: nobody is listed.
    expect((await disclosures(url, FATHER)).body.disclosures).toEqual([]);
  });
});
