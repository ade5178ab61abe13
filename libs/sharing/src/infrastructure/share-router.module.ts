import {
  type BeforeApplicationShutdown,
  Controller,
  type DynamicModule,
  Get,
  Header,
  Inject,
  Module,
  type OnApplicationBootstrap,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { createLogger } from '@bus/platform';
import type { ShareRouterConfig } from '../application/share-router.config';
import { ShareRouterEngine, type RouterHealth } from './share-router.engine';

@Controller()
class ShareRouterHttpController {
  constructor(@Inject(ShareRouterEngine) private readonly engine: ShareRouterEngine) {}

  /** 503 while starting, and when a batch keeps failing (a wedged transaction, say). */
  @Get('health')
  health(@Res({ passthrough: true }) response: Response): RouterHealth {
    const health = this.engine.health();
    response.status(health.ok ? 200 : 503);
    return health;
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.engine.registry.metrics();
  }
}

class ShareRouterLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly engine: ShareRouterEngine) {}

  onApplicationBootstrap(): void {
    // Not awaited: /health answers (503) while the master topic is waited for.
    this.engine.start().catch(() => undefined);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}

@Module({})
export class ShareRouterModule {
  static forRoot(config: ShareRouterConfig): DynamicModule {
    return {
      module: ShareRouterModule,
      controllers: [ShareRouterHttpController],
      providers: [
        {
          provide: ShareRouterEngine,
          useFactory: () => new ShareRouterEngine(config, createLogger('share-router')),
        },
        {
          provide: ShareRouterLifecycle,
          inject: [ShareRouterEngine],
          useFactory: (engine: ShareRouterEngine) => new ShareRouterLifecycle(engine),
        },
      ],
      exports: [ShareRouterEngine],
    };
  }
}
