import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  AuditQueryController,
  auditProviders,
  BusAuthModule,
  busLoggerModule,
  TracingModule,
} from '@bus/platform';
import { AuthController } from './auth.controller';
import type { OpsRuntime } from '@bus/lag-monitor';
import { DeadLettersController } from './dead-letters.controller';
import { GroupsController } from './groups.controller';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { OPS_RUNTIME } from './ops-runtime.token';
import { WhereController } from './where.controller';

const OPS_POOL = Symbol('OPS_POOL');

@Module({})
export class OpsConsoleModule implements OnApplicationShutdown {
  constructor(@Inject(OPS_RUNTIME) private readonly runtime: OpsRuntime) {}

  static forRuntime(runtime: OpsRuntime): DynamicModule {
    return {
      module: OpsConsoleModule,
      imports: [
        busLoggerModule('ops-console'),
        TracingModule,
        BusAuthModule.forService('ops-console'),
      ],
      controllers: [
        AuthController,
        AuditQueryController,
        GroupsController,
        DeadLettersController,
        MetricsController,
        HealthController,
        WhereController,
      ],
      providers: [
        { provide: OPS_RUNTIME, useValue: runtime },
        { provide: OPS_POOL, useValue: runtime.pool },
        ...auditProviders(OPS_POOL),
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
