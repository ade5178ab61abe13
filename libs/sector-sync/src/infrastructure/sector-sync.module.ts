import {
  applyDecorators,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type INestApplication,
  type INestMicroservice,
  Controller,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type Provider,
  UseFilters,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  parseSectorSyncOptions,
  type SectorSyncOptions,
  type SectorSyncOptionsInput,
} from '../application/sector-sync.options';
import { SectorSyncEngine, type EngineRunOptions } from './sector-sync.engine';
import { SectorSyncTransport, SyncErrorPassThrough } from './sector-sync.transport';
import { SyncReadyGuard } from './sync-ready.guard';
import {
  SyncFollowsController,
  SyncHealthController,
  SyncMetricsController,
} from './sync-http.controller';

export const SECTOR_SYNC_OPTIONS = Symbol('SECTOR_SYNC_OPTIONS');
/** The sector database's pool, for the sector's read side (e.g. GET /citizens/:id). */
export const SECTOR_SYNC_POOL = Symbol('SECTOR_SYNC_POOL');

export interface SectorSyncAsyncOptions<T> {
  readonly imports?: DynamicModule['imports'];
  readonly inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  readonly useFactory: (
    ...args: never[]
  ) => SectorSyncOptionsInput<T> | Promise<SectorSyncOptionsInput<T>>;
  readonly run?: EngineRunOptions;
}

@Injectable()
class SectorSyncLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(SectorSyncEngine) private readonly engine: SectorSyncEngine) {}

  onApplicationBootstrap(): void {
    // Rules given as event handlers start with the transport (connectSectorSync), once Nest
    // has registered them.
    if (!this.engine.options.apply) return;
    // Not awaited: the HTTP side (health says "starting") comes up while the database
    // or the broker is still being waited for.
    this.engine.start().catch(() => undefined);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}

/**
 * A sector's sync service in one import: the consumer loop, its state tables and
 * migrations, /health and /metrics. Options are validated when the module boots.
 */
@Module({})
export class SectorSyncModule {
  static forRoot<T>(options: SectorSyncOptionsInput<T>, run: EngineRunOptions = {}): DynamicModule {
    return SectorSyncModule.forRootAsync({ useFactory: () => options, run });
  }

  static forRootAsync<T>(async: SectorSyncAsyncOptions<T>): DynamicModule {
    const providers: Provider[] = [
      {
        provide: SECTOR_SYNC_OPTIONS,
        inject: async.inject ?? [],
        useFactory: async (...args: never[]) =>
          parseSectorSyncOptions(await async.useFactory(...args)),
      },
      {
        provide: SectorSyncEngine,
        inject: [SECTOR_SYNC_OPTIONS],
        useFactory: (options: SectorSyncOptions) => new SectorSyncEngine(options, async.run),
      },
      {
        provide: SectorSyncTransport,
        inject: [SectorSyncEngine, SECTOR_SYNC_OPTIONS],
        useFactory: (engine: SectorSyncEngine, options: SectorSyncOptions) =>
          new SectorSyncTransport(engine, options.patternOf),
      },
      {
        provide: SECTOR_SYNC_POOL,
        inject: [SectorSyncEngine],
        useFactory: (engine: SectorSyncEngine) => engine.pool,
      },
      SectorSyncLifecycle,
      // After the bearer guard (BusAuthModule is imported first): 401/403 before 503.
      { provide: APP_GUARD, useClass: SyncReadyGuard },
    ];
    return {
      module: SectorSyncModule,
      imports: async.imports ?? [],
      controllers: [SyncHealthController, SyncMetricsController, SyncFollowsController],
      providers,
      exports: [SectorSyncEngine, SectorSyncTransport, SECTOR_SYNC_POOL],
    };
  }
}

/**
 * Runs the sector's `@EventPattern` handlers (in `@SyncRules()` classes) on the sync loop:
 * call before `app.startAllMicroservices()`.
 */
export function connectSectorSync(app: INestApplication): INestMicroservice {
  return app.connectMicroservice(
    { strategy: app.get(SectorSyncTransport) },
    { inheritAppConfig: false },
  );
}

/**
 * Marks a class as a sector's rules: a controller of `@EventPattern` handlers whose errors reach
 * the framework unchanged. On the class, not as a global filter: a hybrid app registers its
 * microservice's handlers when it connects it, before a global filter could be added, and Nest's
 * default filter turns every error into `{ status: 'error' }`, so an outage would be
 * dead-lettered instead of retried and a rule's code would be lost.
 */
export const SyncRules = (): ClassDecorator =>
  applyDecorators(Controller(), UseFilters(new SyncErrorPassThrough()));
