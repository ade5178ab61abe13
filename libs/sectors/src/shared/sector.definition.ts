import type { Pool } from 'pg';
import type { SectorApply } from '@bus/sector-sync';
import type { ShareEvent } from './share-event';

export type SectorId = 'bhyt' | 'land' | 'tax' | 'tthc';

/** Everything the generic sync app needs to know about one sector. */
export interface SectorDefinition {
  readonly sector: SectorId;
  readonly defaultPort: number;
  readonly migrationsDir: string;
  /** Emptied by a rebuild. */
  readonly tables: readonly string[];
  readonly apply: SectorApply<ShareEvent>;
  /** The sector's own view of a citizen (granted fields only), or null. */
  readonly find: (pool: Pool, personalId: string) => Promise<object | null>;
}
