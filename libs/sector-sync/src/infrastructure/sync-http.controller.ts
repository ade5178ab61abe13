import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
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
