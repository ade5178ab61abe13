import { Controller, type DynamicModule, Get, Inject, Module, Param } from '@nestjs/common';
import type { Pool } from 'pg';
import { assertValidPersonalId } from '@bus/contracts';
import {
  AuditQueryController,
  Audited,
  auditProviders,
  BusAuthModule,
  busLoggerModule,
  TracingModule,
  createLogger,
  ErrorCode,
  NotFoundError,
  Rights,
} from '@bus/platform';
import { SECTOR_SYNC_POOL, SectorSyncModule, type EngineRunOptions } from '@bus/sector-sync';
import type { SectorConfig } from './sector.config';
import type { SectorDefinition } from './sector.definition';
import { shareEventDecoder } from './share-decoder';
import type { ShareEvent } from './share-event';
import { shareReceipts } from './share-receipt';

const SECTOR_DEFINITION = Symbol('SECTOR_DEFINITION');

/** The sector system's client role on its own sync API (client-credentials grant). */
export const SECTOR_READER_ROLE = 'citizen-reader';

@Controller('citizens')
class CitizensController {
  constructor(
    @Inject(SECTOR_DEFINITION) private readonly definition: SectorDefinition,
    @Inject(SECTOR_SYNC_POOL) private readonly pool: Pool,
  ) {}

  /** The sector's own view, with only the fields it was granted; 404 when unknown. */
  /** Only a token issued for this sector's API (audience `sync-<sector>`) with the reader role. */
  @Get(':personalId')
  @Rights(SECTOR_READER_ROLE)
  @Audited('sector.read-citizen', { citizenParam: 'personalId' })
  async find(@Param('personalId') personalId: string): Promise<object> {
    if (!/^\d{12}$/.test(personalId)) assertValidPersonalId(personalId);
    const view = await this.definition.find(this.pool, personalId);
    if (!view) {
      throw new NotFoundError(
        ErrorCode.CITIZEN_NOT_FOUND,
        `No ${this.definition.sector} record for this ID`,
      );
    }
    return view;
  }
}

/** A sector's whole sync service: the framework, the sector's rules and its read side. */
@Module({})
export class SectorAppModule {
  static forSector(
    definition: SectorDefinition,
    config: SectorConfig,
    run: EngineRunOptions = {},
  ): DynamicModule {
    const service = `sync-${definition.sector}`;
    const sync = SectorSyncModule.forRoot(
      {
        groupId: config.groupId,
        topic: config.topic,
        brokers: config.brokers,
        databaseUrl: config.databaseUrl,
        minBytes: config.fetch.minBytes,
        maxWaitTimeMs: config.fetch.maxWaitMs,
        migrationsDir: definition.migrationsDir,
        sectorTables: [...definition.tables],
        decode: shareEventDecoder(config.registryUrl, definition.sector),
        patternOf: (event: ShareEvent) => event.eventType,
        receipts: shareReceipts(definition.sector, config.receiptsTopic),
        ...(config.followsTopic ? { follows: { topic: config.followsTopic } } : {}),
        logger: createLogger(service),
      },
      run,
    );
    return {
      module: SectorAppModule,
      imports: [busLoggerModule(service), TracingModule, BusAuthModule.forService(service), sync],
      controllers: [CitizensController, AuditQueryController, definition.rules],
      providers: [
        { provide: SECTOR_DEFINITION, useValue: definition },
        ...auditProviders(SECTOR_SYNC_POOL),
      ],
    };
  }
}
