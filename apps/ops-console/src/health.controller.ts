import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { OpsHealth, OpsRuntime } from '@bus/lag-monitor';
import { OPS_RUNTIME } from './ops-runtime.token';

@Controller()
export class HealthController {
  constructor(@Inject(OPS_RUNTIME) private readonly runtime: OpsRuntime) {}

  /** 200 when Kafka and the ops database answer, 503 otherwise. */
  @Get('health')
  async health(@Res({ passthrough: true }) res: Response): Promise<OpsHealth> {
    const health = await this.runtime.health();
    res.status(health.ok ? 200 : 503);
    return health;
  }
}
