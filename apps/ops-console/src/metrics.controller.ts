import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { OpsRuntime } from '@bus/lag-monitor';
import { OPS_RUNTIME } from './ops-runtime.token';

@Controller()
export class MetricsController {
  constructor(@Inject(OPS_RUNTIME) private readonly runtime: OpsRuntime) {}

  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    const body = await this.runtime.metrics.render();
    res.setHeader('Content-Type', this.runtime.metrics.contentType);
    res.send(body);
  }
}
