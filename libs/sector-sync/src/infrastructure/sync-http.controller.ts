import { Controller, Delete, Get, Header, Inject, Param, Put, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorCode, Rights, ValidationError } from '@bus/platform';
import { SectorSyncEngine, type SyncHealth } from './sector-sync.engine';

@Controller()
export class SyncHealthController {
  constructor(@Inject(SectorSyncEngine) private readonly engine: SectorSyncEngine) {}

  /** 200 when the database answers and the consumer runs; 503 (with the reason) otherwise. */
  @Get('health')
  async health(@Res({ passthrough: true }) response: Response): Promise<SyncHealth> {
    const health = await this.engine.health();
    response.status(health.ok ? 200 : 503);
    return health;
  }
}

@Controller()
export class SyncMetricsController {
  constructor(@Inject(SectorSyncEngine) private readonly engine: SectorSyncEngine) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.engine.metrics.registry.metrics();
  }
}

export interface FollowState {
  readonly personalId: string;
  readonly following: boolean;
  /** Whether this call changed the state (false for a repeated follow or unfollow). */
  readonly changed?: boolean;
}

const followedId = (personalId: string): string => {
  if (!/^\d{12}$/.test(personalId)) {
    throw new ValidationError(
      ErrorCode.PERSONAL_ID_INVALID,
      'A followed personal ID has 12 digits',
      {
        fields: [{ path: 'personalId', message: 'must be 12 digits' }],
      },
    );
  }
  return personalId;
};

/** The role of the sector's own system (its client credentials; docs/security.md). */
export const SYNC_FOLLOW_ROLE = 'citizen-reader';

/**
 * The sector's follow-list over HTTP (the same as `SyncContext.follow` inside a batch). In an
 * app with the bus's bearer guard, only the sector's own system may change it.
 */
@Controller('follows')
@Rights(SYNC_FOLLOW_ROLE)
export class SyncFollowsController {
  constructor(@Inject(SectorSyncEngine) private readonly engine: SectorSyncEngine) {}

  @Get(':personalId')
  async get(@Param('personalId') personalId: string): Promise<FollowState> {
    const id = followedId(personalId);
    return { personalId: id, following: await this.engine.isFollowing(id) };
  }

  @Put(':personalId')
  async follow(@Param('personalId') personalId: string): Promise<FollowState> {
    const id = followedId(personalId);
    const changed = await this.engine.follow([id]);
    return { personalId: id, following: true, changed: changed.length > 0 };
  }

  @Delete(':personalId')
  async unfollow(@Param('personalId') personalId: string): Promise<FollowState> {
    const id = followedId(personalId);
    const changed = await this.engine.unfollow([id]);
    return { personalId: id, following: false, changed: changed.length > 0 };
  }
}
