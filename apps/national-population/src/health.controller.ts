import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { outboxBacklog, type OutboxRelay, type RelayMetrics } from '@bus/population';
import type { Pool } from '@bus/platform';
import { METRICS, POOL, REGISTRY, RELAY } from './population.tokens';

@Controller()
export class HealthController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(RELAY) private readonly relay: OutboxRelay | null,
    @Inject(METRICS) private readonly metrics: RelayMetrics,
    @Inject(REGISTRY) private readonly registry: Registry,
  ) {}

  /** 200 while the database answers: commands are accepted even when the broker is down. */
  @Get('health')
  async health(@Res({ passthrough: true }) res: Response) {
    try {
      const backlog = await outboxBacklog(this.pool);
      const relay = this.relay?.status();
      return {
        status: relay?.lastError ? 'degraded' : 'ok',
        database: 'up',
        outbox: { ...backlog, publishRatePerSecond: this.metrics.publishRatePerSecond() },
        relay: relay ? { enabled: true, ...relay } : { enabled: false },
      };
    } catch (error) {
      res.status(503);
      return { status: 'down', database: 'down', error: (error as Error).message };
    }
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText() {
    return this.registry.metrics();
  }
}
