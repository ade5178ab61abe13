import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ErrorCode, isManagementRequest, TransientError } from '@bus/platform';
import { SectorSyncEngine } from './sector-sync.engine';

/**
 * The API listens at once, but the sector's tables exist only after the loop's boot ran the
 * migrations (which waits for a database that is down). Until then every API route answers
 * 503 with a retriable code instead of failing on a missing table; probes are not held back.
 */
@Injectable()
export class SyncReadyGuard implements CanActivate {
  constructor(@Inject(SectorSyncEngine) private readonly engine: SectorSyncEngine) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (isManagementRequest(context.switchToHttp().getRequest<Request>())) return true;
    if (this.engine.databaseReady) return true;
    throw new TransientError(
      ErrorCode.SYNC_STARTING,
      'The sync service is preparing its database; retry shortly',
    );
  }
}
