import { describe, expect, it } from 'vitest';
import { sampleCitizenChanged, type CitizenChanged } from '@bus/contracts';
import { sectorStack, startSector, waitForVersion } from './sector-stack';

const OLD = '079201055501';
const NEW = '079301055501'; // reissued after a gender re-determination
const RETIRED = '079201055502';
const SURVIVOR = '079201055503';

function born(personalId: string, dateOfBirth: string): CitizenChanged {
  return sampleCitizenChanged('BIRTH_REGISTERED', {
    eventId: `${personalId}-1`,
    personalId,
    version: 1,
    dateOfBirth,
    fatherId: null,
    motherId: null,
    occurredAt: Date.parse(`${dateOfBirth}T05:00:00Z`),
    recordedAt: Date.parse(`${dateOfBirth}T05:00:00Z`),
  });
}

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
    const bhyt = await startSector(s, 'bhyt');
    const tax = await startSector(s, 'tax');
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

    expect((await fetch(`${bhyt}/citizens/${OLD}`)).status).toBe(404);
    const reissued = (await (await fetch(`${bhyt}/citizens/${NEW}`)).json()) as {
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

    const gone = await (await fetch(`${bhyt}/citizens/${RETIRED}`)).json();
    expect(gone).toMatchObject({ cardStatus: 'MOVED', successorId: SURVIVOR });
    const survivor = await (await fetch(`${bhyt}/citizens/${SURVIVOR}`)).json();
    expect(survivor).toMatchObject({
      cardStatus: 'ACTIVE',
      cardGroup: 'TE_UNDER_6',
      cardValidUntil: '2029-09-30',
      previousIds: [RETIRED],
    });

    // Tax: the file continues under the new number; the old one is closed.
    const newTaxpayer = await (await fetch(`${tax}/citizens/${NEW}`)).json();
    expect(newTaxpayer).toMatchObject({ taxCode: NEW, status: 'ACTIVE' });
    const oldTaxpayer = await (await fetch(`${tax}/citizens/${OLD}`)).json();
    expect(oldTaxpayer).toMatchObject({ status: 'CLOSED', successorTaxCode: NEW });
  });
});
