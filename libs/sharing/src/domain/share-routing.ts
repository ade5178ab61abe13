import type { ProjectedCitizenChanged, Sector } from '@bus/contracts';

export interface ShareRoute {
  readonly sector: Sector;
  readonly topic: string;
  readonly projected: ProjectedCitizenChanged;
}

/**
 * Fans one master event out to the sectors that may receive it. `delivers` applies the
 * follow-lists (a followed sector only for the citizens it follows) and `project` the
 * sharing policy (event types, fields, conditions); a sector either refuses gets nothing.
 */
export function routeToSectors<E>(
  event: E,
  topics: Readonly<Record<Sector, string>>,
  project: (sector: Sector, event: E) => ProjectedCitizenChanged | null,
  delivers: (sector: Sector) => boolean = () => true,
): ShareRoute[] {
  const routes: ShareRoute[] = [];
  for (const sector of Object.keys(topics) as Sector[]) {
    if (!delivers(sector)) continue;
    const projected = project(sector, event);
    if (projected !== null) routes.push({ sector, topic: topics[sector], projected });
  }
  return routes;
}

/** The sector whose share topic (as configured, prefix included) this is. */
export function sectorOfTopic(
  topics: Readonly<Record<Sector, string>>,
  topic: string,
): Sector | undefined {
  return (Object.keys(topics) as Sector[]).find((sector) => topics[sector] === topic);
}
