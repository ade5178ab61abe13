import type { ProjectedCitizenChanged } from '@bus/contracts';

export type SectorName = 'bhyt' | 'land' | 'tax' | 'tthc';

export interface ShareRoute {
  readonly sector: SectorName;
  readonly topic: string;
  readonly projected: ProjectedCitizenChanged;
}

/**
 * Fans one master event out to the sectors that may receive it. `project` applies the
 * sharing policy (event types, fields, conditions); a sector it answers null for gets nothing.
 */
export function routeToSectors<E>(
  event: E,
  topics: Readonly<Record<SectorName, string>>,
  project: (sector: SectorName, event: E) => ProjectedCitizenChanged | null,
): ShareRoute[] {
  const routes: ShareRoute[] = [];
  for (const sector of Object.keys(topics) as SectorName[]) {
    const projected = project(sector, event);
    if (projected !== null) routes.push({ sector, topic: topics[sector], projected });
  }
  return routes;
}
