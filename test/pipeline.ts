import type { Sector } from '@bus/contracts';
import { bearer, onCleanup, uniqueName, userToken } from '@bus/testing';
import {
  startPopulationApi,
  type PopulationApi,
} from '../apps/national-population/test/population-api';
import { startTestRelay } from '../libs/population/test/support/population-test-env';
import {
  sectorStack,
  startSector,
  waitForVersion,
  type SectorStack,
} from '../libs/sectors/test/sector-stack';

export interface Pipeline {
  readonly s: SectorStack;
  readonly api: PopulationApi;
}

/** The whole bus in this process: national API, relay, router and the four sectors. */
export async function startPipeline(name: string): Promise<Pipeline> {
  const s = await sectorStack(3);
  for (const sector of ['bhyt', 'land', 'tax', 'tthc'] as const) await startSector(s, sector);
  const api = await startPopulationApi(uniqueName(name));
  onCleanup(() => api.close());
  startTestRelay(api.databaseUrl, s.masterTopic);
  return { s, api };
}

/**
 * A birth registered through the API by the registrar; resolves once the sectors of `applyIn`
 * applied it (by default all that receive births: land does not).
 */
export async function registerBirth(
  p: Pipeline,
  applyIn: readonly Sector[] = ['bhyt', 'tax', 'tthc'],
): Promise<{ status: number; personalId: string; eventId: string }> {
  const created = await p.api.call(
    'POST',
    '/citizens/births',
    {
      child: { fullName: 'Trần Thị Lan', gender: 'FEMALE', dateOfBirth: '2026-01-05' },
      registrationCommuneCode: '00070',
      permanentResidence: { communeCode: '00070', address: '3 Tràng Tiền' },
    },
    bearer(await userToken('registrar-admin')),
  );
  const personalId = created.body.personalId as string;
  for (const sector of applyIn) await waitForVersion(p.s, sector, personalId, 1);
  return { status: created.status, personalId, eventId: created.body.changes[0].eventId as string };
}
