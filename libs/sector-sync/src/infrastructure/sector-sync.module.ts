import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type Provider,
} from '@nestjs/common';
import {
  parseSectorSyncOptions,
  type SectorSyncOptions,
  type SectorSyncOptionsInput,
} from '../application/sector-sync.options';
import { SectorSyncEngine, type EngineRunOptions } from './sector-sync.engine';
import { SyncHealthController, SyncMetricsController } from './sync-http.controller';

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
        provide: SECTOR_SYNC_POOL,
        inject: [SectorSyncEngine],
        useFactory: (engine: SectorSyncEngine) => engine.pool,
      },
      SectorSyncLifecycle,
    ];
    return {
      module: SectorSyncModule,
      imports: async.imports ?? [],
      controllers: [SyncHealthController, SyncMetricsController],
      providers,
      exports: [SectorSyncEngine, SECTOR_SYNC_POOL],
    };
  }
}
