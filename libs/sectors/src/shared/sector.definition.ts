import type { Type } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Sector } from '@bus/contracts';

/** Events that touch two records (the old and the new number): applied one at a time. */
export const CROSS_RECORD_EVENTS = ['RECORDS_MERGED', 'ID_NUMBER_REISSUED'] as const;

/** Everything the generic sync app needs to know about one sector. */
export interface SectorDefinition {
  readonly sector: Sector;
  readonly defaultPort: number;
  readonly migrationsDir: string;
  /** Emptied by a rebuild. */
  readonly tables: readonly string[];
  /** The sector's rules: a Nest controller of `@EventPattern` handlers (see @bus/sector-sync). */
  readonly rules: Type<unknown>;
  /** The sector's own view of a citizen (granted fields only), or null. */
  readonly find: (pool: Pool, personalId: string) => Promise<object | null>;
}
