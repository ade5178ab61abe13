import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { ConflictError, ErrorCode } from '@bus/platform';
import type { SectorSyncOptions } from '../application/sector-sync.options';
import type { SyncStateRepository } from './sync-state.repository';

/**
 * Empties the sector's tables and the framework's state so that the consumer, finding
 * no stored offsets, starts again from the beginning of the (compacted) share topic.
 * Refuses while another member of the group is running: it would keep writing on top
 * of the emptied tables from its old position.
 */
export async function prepareRebuild(
  admin: Admin,
  pool: Pool,
  state: SyncStateRepository,
  options: SectorSyncOptions,
  logger: Logger,
): Promise<void> {
  const { groups } = await admin.describeGroups([options.groupId]);
  const members = groups[0]?.members.length ?? 0;
  if (members > 0) {
    throw new ConflictError(
      ErrorCode.SYNC_GROUP_ACTIVE,
      `Group ${options.groupId} still has ${members} member(s): stop every instance before a rebuild`,
    );
  }
  await state.truncateAll(pool, options.sectorTables);
  // Lag monitoring should not see the old positions of a group that starts over.
  await admin.deleteGroups([options.groupId]).catch((error: unknown) => {
    logger.debug({ err: error }, 'no committed group offsets to delete');
  });
  logger.warn(
    { group: options.groupId, topic: options.topic, tables: options.sectorTables },
    'rebuild: sector tables emptied; replaying the share topic from its start',
  );
}
