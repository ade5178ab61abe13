import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { captureStdoutLogs, connectedConsumer, uniqueName, waitFor } from '@bus/testing';
import { sampleCitizenChanged, SECTORS, type Sector } from '@bus/contracts';
import { FATHER, lifeStory, MOTHER, PERSON, SPOUSE } from './life-story';
import {
  columnsOf,
  follow,
  readCitizen,
  sectorStack,
  snapshot,
  startSector,
  waitForVersion,
  type SectorStack,
} from './sector-stack';

const ALL: readonly Sector[] = SECTORS;

async function shareBytes(topic: string, count: number): Promise<KafkaMessage[]> {
  const received: KafkaMessage[] = [];
  const consumer = await connectedConsumer(uniqueName('peek'));
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
  await waitFor(() => received.length >= count, { description: `${count} records on ${topic}` });
  return received;
}

/**
 * Until a restarted sector's consumer runs: a rebuild truncates and replays only then, so the
 * rows read before would still be the old ones (and its API answers 503 until it migrated).
 */
const running = (s: SectorStack, id: Sector) =>
  waitFor(async () => (await fetch(`${s.managementUrls[id]}/health`)).ok, {
    description: `${id} running again`,
  });

describe('sector sync acceptance: a life story through the router into four databases', () => {
  it('applies each sector rules, holds only granted fields, ignores replays, and rebuilds to the same rows, every service on its own principal', async () => {
    // Every log line of the whole story, at debug level, for the personal-data check at the end.
    process.env.LOG_LEVEL = 'debug';
    const logs = captureStdoutLogs();
    // Every service on its own Kafka principal, under the bus's ACLs.
    const s = await sectorStack(3, { principals: true });
    for (const id of ALL) await startSector(s, id);
    // The land office's parcel and the portal's pending application (their own data).
    await waitFor(
      async () => (await s.pools.land.query('SELECT 1 FROM land_holdings')).rowCount !== null,
      {
        description: 'land migrated',
      },
    );
    await s.pools.land.query(
      `INSERT INTO land_holdings (parcel_id, holder_id) VALUES ('P-79-001', $1)`,
      [PERSON],
    );
    // Land is delivered only the citizens it follows: the holder it registered.
    await follow(s, 'land', [PERSON]);
    await waitFor(
      async () => (await s.pools.tthc.query('SELECT 1 FROM tthc_applications')).rowCount !== null,
      {
        description: 'tthc migrated',
      },
    );
    await s.pools.tthc.query(
      `INSERT INTO tthc_applications (application_id, personal_id, procedure_code) VALUES ('A-1', $1, '1.001234')`,
      [PERSON],
    );

    const story = lifeStory();
    await s.publish(story);
    for (const id of ALL) await waitForVersion(s, id, PERSON, 7);

    const get = async (id: Sector, personalId = PERSON) => {
      const response = await readCitizen(s, id, personalId);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const bhyt = await get('bhyt');
    expect(bhyt.status).toBe(200);
    expect(bhyt.body).toMatchObject({
      fullName: 'Lê Văn Mạnh',
      registeredProvince: '01',
      temporaryProvince: null,
      status: 'DECEASED',
      cardGroup: 'TE_UNDER_6',
      cardValidFrom: '2001-05-20',
      // The under-6 card ran out on 30 September of his 6th year; his death does not revive it.
      cardValidUntil: '2007-09-30',
      cardStatus: 'EXPIRED',
    });
    expect(bhyt.body).not.toHaveProperty('maritalStatus');
    expect(bhyt.body).not.toHaveProperty('spouseId');
    const history = bhyt.body.history as { eventType: string }[];
    expect(history.map((h) => h.eventType)).not.toContain('MARITAL_STATUS_CHANGED');
    expect(history).toHaveLength(6);

    const land = await get('land');
    expect(land.body).toMatchObject({
      fullName: 'Lê Văn Mạnh',
      provinceCode: '01',
      maritalStatus: 'MARRIED',
      spouseId: SPOUSE,
      status: 'DECEASED',
      coOwnerships: [{ spouseId: SPOUSE, since: '2026-02-14', until: null }],
      holdings: [{ parcelId: 'P-79-001', status: 'INHERITANCE_PENDING' }],
    });
    expect(land.body).not.toHaveProperty('fatherId');
    expect(land.body).not.toHaveProperty('temporaryResidence');

    const tax = await get('tax');
    expect(tax.body).toMatchObject({
      taxCode: PERSON,
      managingAuthority: 'THUE-01',
      status: 'CLOSED',
      closedOn: '2026-06-01',
    });
    expect(tax.body).not.toHaveProperty('idCardNumber');
    const father = await s.pools.tax.query(
      'SELECT dependant_code FROM tax_dependants WHERE taxpayer_code = $1',
      [FATHER],
    );
    // A child dependant until 18 (and never after death): gone by the end of the story.
    expect(father.rows).toEqual([]);

    const tthc = await get('tthc');
    expect(tthc.body).toMatchObject({
      fullName: 'Lê Văn Mạnh',
      maritalStatus: 'MARRIED',
      idCardNumber: PERSON,
      temporaryResidence: null,
      status: 'DECEASED',
      applications: [{ applicationId: 'A-1', status: 'PENDING', flag: 'APPLICANT_DECEASED' }],
    });
    expect((await get('tthc', '079999999999')).status).toBe(404);

    // Withheld fields: absent from the share topic's bytes and from the database.
    const bhytRecords = await shareBytes(s.router.shareTopics.bhyt, 6);
    expect(bhytRecords).toHaveLength(6);
    for (const r of bhytRecords) expect(r.value?.includes(Buffer.from(SPOUSE))).toBe(false);
    const landRecords = await shareBytes(s.router.shareTopics.land, 5);
    for (const r of landRecords) {
      expect(r.value?.includes(Buffer.from(FATHER))).toBe(false);
      expect(r.value?.includes(Buffer.from('5 Lê Duẩn'))).toBe(false); // temporary residence
    }
    expect((await columnsOf(s, 'bhyt')).filter((c) => /marital|spouse/.test(c))).toEqual([]);
    expect((await columnsOf(s, 'land')).filter((c) => /father|mother|temporary/.test(c))).toEqual(
      [],
    );
    expect((await columnsOf(s, 'tax')).filter((c) => /id_card/.test(c))).toEqual([]);

    // Duplicates: the whole story again changes nothing.
    const before = Object.fromEntries(
      await Promise.all(ALL.map(async (id) => [id, await snapshot(s, id)])),
    );
    await s.publish(story);
    await waitFor(
      async () =>
        (await fetch(`${s.managementUrls.bhyt}/metrics`).then((r) => r.text())).match(
          /sector_sync_events_skipped_total\{[^}]*\} 6/,
        ),
      { description: 'bhyt skipped the six replayed events', timeoutMs: 30_000 },
    );
    for (const id of ALL) expect(await snapshot(s, id)).toEqual(before[id]);

    // Rebuild bhyt from its share topic while the other sectors run on.
    await s.apps.bhyt?.close();
    await startSector(s, 'bhyt', { rebuild: true });
    await running(s, 'bhyt');
    await waitForVersion(s, 'bhyt', PERSON, 7);
    await waitFor(async () => (await snapshot(s, 'bhyt')).insured_person_history?.length === 6, {
      description: 'bhyt history replayed',
    });
    expect(await snapshot(s, 'bhyt')).toEqual(before.bhyt);

    // A citizen land does not follow: the other sectors receive him, land nothing.
    const stranger = sampleCitizenChanged('PERMANENT_RESIDENCE_CHANGED', {
      eventId: 'stranger-1',
      personalId: '079201054321',
      version: 1,
    });
    await s.publish([stranger]);
    await waitForVersion(s, 'tax', stranger.personalId, 1);
    // Counted once the router's transaction committed, before tax could apply it.
    const routed = await s.engine.registry
      .getSingleMetric('share_router_records_routed_total')!
      .get();
    const to = (sector: Sector) => routed.values.find((v) => v.labels.sector === sector)?.value;
    // The story twice: five land events each time, and nothing about the stranger.
    expect({ land: to('land'), tax: to('tax') }).toEqual({ land: 10, tax: 13 });
    expect((await get('land', stranger.personalId)).status).toBe(404);
    // Rebuilt from its share topic, land holds the same rows: still nobody it does not follow.
    await s.apps.land?.close();
    await startSector(s, 'land', { rebuild: true });
    await running(s, 'land');
    await waitForVersion(s, 'land', PERSON, 7);
    expect(await snapshot(s, 'land')).toEqual(before.land);
    expect((await get('land', stranger.personalId)).status).toBe(404);

    // None of the story's personal data in clear in any log line (IDs, names, dates, addresses).
    delete process.env.LOG_LEVEL;
    const logged = logs.lines();
    expect(logged.length).toBeGreaterThan(20);
    expect(logged.some((line) => line.includes(`/citizens/${PERSON.slice(0, 3)}*******`))).toBe(
      true,
    );
    const personal = [PERSON, FATHER, MOTHER, SPOUSE, 'Lê Văn Minh', 'Lê Văn Mạnh', '2001-05-20'];
    const places = ['10 Lý Tự Trọng', '5 Lê Duẩn'];
    for (const value of [...personal, ...places])
      expect({ value, lines: logged.filter((line) => line.includes(value)) }).toEqual({
        value,
        lines: [],
      });
  });
});
