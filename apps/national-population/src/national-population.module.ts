import {
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { collectDefaultMetrics } from 'prom-client';
import {
  AuditQueryController,
  auditProviders,
  BusAuthModule,
  busLoggerModule,
  TracingModule,
  createLogger,
  createPool,
  HttpErrorFilter,
  type Pool,
} from '@bus/platform';
import {
  createOutboxRelay,
  createPopulationServices,
  createRelayMetrics,
  loadPopulationConfig,
  type OutboxRelay,
  type PopulationConfig,
  type RelayMetrics,
} from '@bus/population';
import { CitizensController } from './citizens.controller';
import { HealthController } from './health.controller';
import { CONFIG, METRICS, POOL, REGISTRY, RELAY, SERVICES } from './population.tokens';
import { RecordsController } from './records.controller';

@Module({
  imports: [
    busLoggerModule('national-population'),
    TracingModule,
    BusAuthModule.forService('national-population'),
  ],
  controllers: [CitizensController, RecordsController, HealthController, AuditQueryController],
  providers: [
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    ...auditProviders(POOL),
    { provide: CONFIG, useFactory: () => loadPopulationConfig() },
    {
      provide: POOL,
      inject: [CONFIG],
      useFactory: (c: PopulationConfig) => createPool(c.databaseUrl, 20),
    },
    {
      provide: SERVICES,
      inject: [POOL],
      useFactory: (pool: Pool) => createPopulationServices(pool),
    },
    {
      provide: 'METRICS_BUNDLE',
      inject: [POOL],
      useFactory: (pool: Pool) => createRelayMetrics(pool),
    },
    {
      provide: METRICS,
      inject: ['METRICS_BUNDLE'],
      useFactory: (b: { metrics: RelayMetrics }) => b.metrics,
    },
    {
      provide: REGISTRY,
      inject: ['METRICS_BUNDLE'],
      useFactory: (b: ReturnType<typeof createRelayMetrics>) => {
        collectDefaultMetrics({ register: b.registry });
        return b.registry;
      },
    },
    {
      provide: RELAY,
      inject: [CONFIG, METRICS],
      useFactory: (config: PopulationConfig, metrics: RelayMetrics) =>
        config.relay.enabled
          ? createOutboxRelay({
              config,
              metrics,
              logger: createLogger('national-population.relay'),
              // A refused Kafka password: exit non-zero rather than retry forever.
              onFatal: () => process.exit(1),
            })
          : null,
    },
  ],
})
export class NationalPopulationModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(RELAY) private readonly relay: OutboxRelay | null,
    @Inject(POOL) private readonly pool: Pool,
  ) {}

  onApplicationBootstrap(): void {
    this.relay?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    await this.pool.end();
  }
}
