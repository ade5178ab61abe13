import { describe, expect, it } from 'vitest';
import { SECTORS, type CitizenChanged, type Sector } from '@bus/contracts';
import { waitFor } from '@bus/testing';
import { born as bornOn, linkScenarios } from '../src/shared/reorder.fixture';

const born = (personalId: string, dateOfBirth: string) =>
  bornOn(personalId, dateOfBirth, { fatherId: null, motherId: null });

import {
  follow,
  readCitizen,
  sectorStack,
  startSector,
  waitForVersion,
  type SectorStack,
} from './sector-stack';

const OLD = '079201055501';
const NEW = '079301055501'; // reissued after a gender re-determination
const RETIRED = '079201055502';
const SURVIVOR = '079201055503';

const linked = (
  from: CitizenChanged,
  eventType: 'ID_NUMBER_REISSUED' | 'RECORDS_MERGED',
  successorId: string,
): CitizenChanged => ({
  ...from,
  eventType,
  eventId: `${from.personalId}-2`,
  version: 2,
  successorId,
  changedFields: ['successorId'],
  occurredAt: from.occurredAt + 86_400_000,
  recordedAt: from.recordedAt + 86_400_000,
});

describe('record links: ID reissue and merge in the sector databases', () => {
  it('re-keys a reissued number with its history and moves a merged card to the successor', async () => {
    const s = await sectorStack(2);
    await startSector(s, 'bhyt');
    await startSector(s, 'tax');
    const original = born(OLD, '2024-02-29');
    const retired = born(RETIRED, '2023-01-10');
    const survivorNoCard = { ...born(SURVIVOR, '1990-01-01'), eventType: 'NAME_CHANGED' as const };
    await s.publish([
      original,
      linked(original, 'ID_NUMBER_REISSUED', NEW),
      retired,
      survivorNoCard,
      linked(retired, 'RECORDS_MERGED', SURVIVOR),
    ]);
    for (const id of [OLD, RETIRED]) await waitForVersion(s, 'bhyt', id, 2);
    await waitForVersion(s, 'tax', OLD, 2);

    expect((await readCitizen(s, 'bhyt', OLD)).status).toBe(404);
    const reissued = (await (await readCitizen(s, 'bhyt', NEW)).json()) as {
      history: { eventType: string }[];
    };
    expect(reissued).toMatchObject({
      personalId: NEW,
      previousIds: [OLD],
      cardStatus: 'ACTIVE',
      cardValidUntil: '2030-09-30',
    });
    expect(reissued.history.map((h: { eventType: string }) => h.eventType)).toEqual([
      'BIRTH_REGISTERED',
      'ID_NUMBER_REISSUED',
    ]);

    const gone = await (await readCitizen(s, 'bhyt', RETIRED)).json();
    expect(gone).toMatchObject({ cardStatus: 'MOVED', successorId: SURVIVOR });
    const survivor = await (await readCitizen(s, 'bhyt', SURVIVOR)).json();
    expect(survivor).toMatchObject({
      cardStatus: 'ACTIVE',
      cardGroup: 'TE_UNDER_6',
      cardValidUntil: '2029-09-30',
      previousIds: [RETIRED],
    });

    // Tax: the file continues under the new number; the old one is closed.
    const newTaxpayer = await (await readCitizen(s, 'tax', NEW)).json();
    expect(newTaxpayer).toMatchObject({ taxCode: NEW, status: 'ACTIVE' });
    const oldTaxpayer = await (await readCitizen(s, 'tax', OLD)).json();
    expect(oldTaxpayer).toMatchObject({ status: 'CLOSED', successorTaxCode: NEW });
  });
});

const ALL = SECTORS;

/** Publishes one key's events and waits until every sector that receives them has them. */
async function deliver(s: SectorStack, events: readonly CitizenChanged[]): Promise<void> {
  await s.publish(events);
  const last = events.at(-1)!;
  for (const id of ALL) {
    // land does not receive births: a key whose only land event is a birth is skipped.
    if (id === 'land' && events.every((e) => e.eventType === 'BIRTH_REGISTERED')) continue;
    await waitForVersion(s, id, last.personalId, last.version);
  }
}

const get = async (s: SectorStack, id: Sector, personalId: string) =>
  (await (await readCitizen(s, id, personalId)).json()) as Record<string, unknown>;

describe('record links: the two keys of a merge or reissue delivered in both orders', () => {
  it('gives every sector the same outcome whether the successor or the retired key comes first', async () => {
    const s = await sectorStack(2);
    for (const id of ALL) await startSector(s, id);
    await waitFor(
      async () =>
        (
          await s.pools.tthc.query(
            "SELECT 1 FROM information_schema.tables WHERE table_name = 'tthc_applications'",
          )
        ).rowCount === 1,
      { description: 'tthc migrated' },
    );
    const orders = { successorFirst: linkScenarios(11), retiredFirst: linkScenarios(12) };
    // Land is delivered only the citizens it follows: it holds land of all of them.
    const keys = Object.values(orders).flatMap((scenario) =>
      Object.values(scenario).flatMap((k) => [k.retiredKey[0]!, k.successorKey[0]!]),
    );
    await follow(s, 'land', [...new Set(keys.map((e) => e.personalId))]);
    for (const [order, scenario] of Object.entries(orders)) {
      for (const kind of ['reissue', 'merge'] as const) {
        const { retiredKey, successorKey } = scenario[kind];
        // A pending application on the retired number: it must follow the person.
        await s.pools.tthc.query(
          `INSERT INTO tthc_applications (application_id, personal_id, procedure_code)
           VALUES ($1, $2, '1.001234')`,
          [`${order}-${kind}`, retiredKey[0]!.personalId],
        );
        const keys =
          order === 'successorFirst' ? [successorKey, retiredKey] : [retiredKey, successorKey];
        for (const events of keys) await deliver(s, events);
      }
    }
    const outcome = async (scenario: ReturnType<typeof linkScenarios>) => {
      const fresh = scenario.reissue.successorKey[0]!.personalId;
      const survivor = scenario.merge.successorKey[0]!.personalId;
      const view = async (id: Sector, personalId: string) => {
        const {
          personalId: _p,
          taxCode: _t,
          history: _h,
          previousIds,
          applications,
          ...rest
        } = await get(s, id, personalId);
        return {
          ...rest,
          previousIds: (previousIds as string[] | undefined)?.length,
          applications: (applications as { applicationId?: string }[] | undefined)?.map(
            ({ applicationId: _a, ...application }) => application,
          ),
        };
      };
      const result: Record<string, unknown> = {};
      for (const id of ALL) {
        result[`${id} reissued`] = await view(id, fresh);
        result[`${id} survivor`] = await view(id, survivor);
      }
      return result;
    };
    const successorFirst = await outcome(orders.successorFirst);
    expect(successorFirst).toEqual(await outcome(orders.retiredFirst));
    expect(successorFirst).toMatchObject({
      'bhyt reissued': { fullName: 'Nguyễn Thị An', cardStatus: 'ACTIVE', previousIds: 1 },
      'bhyt survivor': { status: 'DECEASED', cardStatus: 'ENDED', previousIds: 1 },
      'land reissued': { fullName: 'Nguyễn Thị An' },
      'land survivor': { status: 'DECEASED' },
      'tax reissued': { fullName: 'Nguyễn Thị An', status: 'ACTIVE' },
      'tax survivor': { status: 'CLOSED' },
      'tthc reissued': {
        fullName: 'Nguyễn Thị An',
        applications: [expect.objectContaining({ status: 'PENDING' })],
      },
      'tthc survivor': {
        status: 'DECEASED',
        applications: [expect.objectContaining({ flag: 'APPLICANT_DECEASED' })],
      },
    });
  });
});
