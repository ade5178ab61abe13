import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { busLoggerModule } from '@bus/platform';
import type { OpsRuntime } from '@bus/lag-monitor';
import { DeadLettersController } from './dead-letters.controller';
import { GroupsController } from './groups.controller';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { OPS_RUNTIME } from './ops-runtime.token';

@Module({})
export class OpsConsoleModule implements OnApplicationShutdown {
  constructor(@Inject(OPS_RUNTIME) private readonly runtime: OpsRuntime) {}

  static forRuntime(runtime: OpsRuntime): DynamicModule {
    return {
      module: OpsConsoleModule,
      imports: [busLoggerModule('ops-console')],
      controllers: [GroupsController, DeadLettersController, MetricsController, HealthController],
      providers: [{ provide: OPS_RUNTIME, useValue: runtime }],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
