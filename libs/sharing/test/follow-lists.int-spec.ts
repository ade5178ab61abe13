import { describe, expect, it } from 'vitest';
import { ErrorCode, TransientError } from '@bus/platform';
import { shareDeserializer, type ProjectedCitizenChanged } from '@bus/contracts';
import type { CitizenStateSource } from '@bus/sharing';
import {
  connectedAdmin,
  connectedConsumer,
  connectedProducer,
  testStack,
  uniqueName,
  waitFor,
} from '@bus/testing';
import {
  birth,
  populationTestDb,
  type PopulationTestDb,
  startTestRelay,
} from '../../population/test/support/population-test-env';
import {
  follow,
  sectorStack,
  startSector,
  waitForVersion,
  type SectorStack,
} from '../../sectors/test/sector-stack';

/** Until the relay published every change and the router routed them all. */
async function routerCaughtUp(s: SectorStack, national: PopulationTestDb): Promise<void> {
  await waitFor(
    async () =>
      (await national.pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL')).rowCount === 0,
    { description: 'the relay published every change' },
  );
  const admin = await connectedAdmin();
  const ends = await admin.fetchTopicOffsets(s.masterTopic);
  await waitFor(
    async () => {
      const [committed] = await admin.fetchOffsets({
        groupId: s.router.groupId,
        topics: [s.masterTopic],
      });
      // An empty partition has no committed offset.
      return ends.every(
        (end) =>
          end.high === end.low ||
          committed?.partitions.find((p) => p.partition === end.partition)?.offset === end.high,
      );
    },
    { description: 'the router routed every master record' },
  );
}

async function landVersion(s: SectorStack, personalId: string): Promise<number | undefined> {
  const { rows } = await s.pools.land.query<{ version: string }>(
    'SELECT version FROM sync_versions WHERE aggregate_key = $1',
    [personalId],
  );
  return rows[0] ? Number(rows[0].version) : undefined;
}

/** Every committed record of land's share topic, decoded, as it arrives. */
async function landRecords(s: SectorStack): Promise<ProjectedCitizenChanged[]> {
  const seen: ProjectedCitizenChanged[] = [];
  const decode = shareDeserializer(testStack().schemaRegistryUrl, 'land');
  const consumer = await connectedConsumer(uniqueName('land-peek'));
  await consumer.subscribe({ topic: s.router.shareTopics.land, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => void seen.push(await decode.deserialize(message.value)),
  });
  return seen;
}

describe('follow-lists: land is delivered only the citizens it follows', () => {
  it('fills a new follow with the current state, then delivers changes until unfollowed, across a router restart', async () => {
    // The national side's application layer on its own database, relayed to this stack's
    // master topic; the router's fills read the same records (the API's GET /citizens/{id}/state).
    const national = await populationTestDb();
    // The first fill finds the national API down: the follow-list batch is retried.
    let calls = 0;
    const states: CitizenStateSource = {
      current: async (id) => {
        if (++calls === 1)
          throw new TransientError(ErrorCode.FILL_STATE_UNAVAILABLE, 'national API down');
        return national.services.queries.getCurrentState(id).catch((error: { code?: string }) => {
          if (error.code === ErrorCode.CITIZEN_NOT_FOUND) return null;
          throw error;
        });
      },
    };
    const s = await sectorStack(3, { states });
    startTestRelay(national.databaseUrl, s.masterTopic);
    await startSector(s, 'land');
    const n = national.services;

    // Two citizens with a history: nobody follows them yet.
    const a = await n.registerBirth.execute(birth({ fullName: 'Nguyễn Văn An' }));
    const b = await n.registerBirth.execute(
      birth({ fullName: 'Trần Thị Bình', gender: 'FEMALE', dateOfBirth: '1992-02-02' }),
    );
    await n.changeName.execute({ personalId: a.personalId, fullName: 'Nguyễn Văn Ân' });
    await n.issueIdentityCard.execute({ personalId: a.personalId, issuedOn: '2021-07-01' });
    await n.changeName.execute({ personalId: b.personalId, fullName: 'Trần Thị Bích' });
    await routerCaughtUp(s, national);
    const records = await landRecords(s);
    expect(await landVersion(s, a.personalId)).toBeUndefined();

    // A record that is no follow change (a misbehaving writer) is skipped, nothing stops.
    const producer = await connectedProducer();
    await producer.send({
      topic: s.followsTopic,
      messages: [
        { key: `land/${b.personalId}`, value: `{"following":true,"who":"${b.personalId}"` },
      ],
    });

    // Following A delivers A's current state first (version 3), nothing of B.
    await follow(s, 'land', [a.personalId]);
    await waitForVersion(s, 'land', a.personalId, 3);
    expect(calls).toBe(2);
    const { rows } = await s.pools.land.query(
      'SELECT full_name, id_card_number FROM land_holders WHERE personal_id = $1',
      [a.personalId],
    );
    expect(rows).toEqual([{ full_name: 'Nguyễn Văn Ân', id_card_number: a.personalId }]);

    // Then every later change of A; B's changes still go nowhere in land.
    await n.changeName.execute({ personalId: a.personalId, fullName: 'Nguyễn Văn Ấn' });
    await n.changeName.execute({ personalId: b.personalId, fullName: 'Trần Thị Bảo' });
    await waitForVersion(s, 'land', a.personalId, 4);

    // A restarted router rebuilds the lists from the compacted topic before routing, and
    // does not fill A again.
    await s.restartRouter();
    expect(s.engine.followLists.delivers('land', a.personalId)).toBe(true);
    expect(s.engine.followLists.delivers('land', b.personalId)).toBe(false);
    await n.registerResidence.permanent({
      personalId: a.personalId,
      communeCode: '00004',
      address: '1 Điện Biên Phủ',
      since: '2025-01-01',
    });
    await waitForVersion(s, 'land', a.personalId, 5);

    // Unfollowed: nothing more about A.
    await follow(s, 'land', [a.personalId], false);
    await n.changeName.execute({ personalId: a.personalId, fullName: 'Nguyễn Văn Anh' });
    await routerCaughtUp(s, national);
    await s.restartRouter();
    expect(s.engine.followLists.delivers('land', a.personalId)).toBe(false);
    await n.changeName.execute({ personalId: a.personalId, fullName: 'Nguyễn Văn Ánh' });
    await routerCaughtUp(s, national);

    // Land's share topic: the fill (the initial-load form at version 3), then 4 and 5; never B.
    await waitFor(() => records.length >= 3, { description: 'three records for land' });
    expect(
      records.map((r) => ({ id: r.personalId, version: r.version, kind: r.eventKind })),
    ).toEqual([
      { id: a.personalId, version: 3, kind: 'INITIAL_LOAD' },
      { id: a.personalId, version: 4, kind: 'OTHER' },
      { id: a.personalId, version: 5, kind: 'OTHER' },
    ]);
    expect(await landVersion(s, a.personalId)).toBe(5);
    expect(await landVersion(s, b.personalId)).toBeUndefined();
    // The restarted router read the bad record again, and skipped it again.
    const invalid = await s.engine.registry
      .getSingleMetric('share_router_follow_changes_invalid_total')!
      .get();
    expect(invalid.values[0]?.value).toBe(1);
  }, 120_000);
});
