import { COMMUNES, randomPersonalId } from '@bus/contracts';
import type { Picker } from '@bus/population';
import {
  FAMILY_NAMES,
  STREETS,
  type InitialRecord,
  type PopulationServices,
} from '@bus/population';

const CHUNK = 5_000;

function initialRecord(pick: Picker): InitialRecord {
  const gender = pick.chance(0.5) ? 'MALE' : 'FEMALE';
  const year = pick.int(1940, 2020);
  const commune = pick.one(COMMUNES);
  return {
    personalId: randomPersonalId({ provincePrefix: '001', birthYear: year, gender }, (n) =>
      pick.int(0, n - 1),
    ),
    fullName: pick.fullName(gender, pick.weighted(FAMILY_NAMES)),
    gender,
    dateOfBirth: `${year}-0${pick.int(1, 9)}-1${pick.int(0, 9)}`,
    birthRegistrationCommuneCode: commune.code,
    permanentResidence: {
      communeCode: commune.code,
      address: `${pick.int(1, 300)} ${pick.one(STREETS)}`,
      since: `${year}-12-31`,
    },
  };
}

/**
 * Registers `count` existing citizens through the bulk initial-load use case (one
 * transaction per 5,000 records, one outbox row each), as the population bench does.
 * Returns their personal IDs.
 */
export async function loadCitizens(
  services: PopulationServices,
  pick: Picker,
  count: number,
  onProgress?: (done: number) => void,
): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    const records: InitialRecord[] = [];
    for (let i = 0; i < Math.min(CHUNK, count - ids.length); i++) records.push(initialRecord(pick));
    // A random number can collide with one already taken: the use case skips it, we draw again.
    const { skipped } = await services.loadInitialRecords.execute({ records });
    const taken = new Set(skipped);
    for (const record of records) if (!taken.has(record.personalId)) ids.push(record.personalId);
    onProgress?.(ids.length);
  }
  return ids;
}
