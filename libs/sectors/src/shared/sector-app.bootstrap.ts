import 'reflect-metadata';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import {
  createLogger,
  describeError,
  HttpErrorFilter,
  listenWithManagement,
  loadListenConfig,
  migrateAuditTrail,
  splitManagementPort,
  startTracing,
} from '@bus/platform';
import { connectSectorSync, SectorSyncEngine, type EngineRunOptions } from '@bus/sector-sync';
import { loadSectorConfig, type SectorConfig } from './sector.config';
import type { SectorDefinition } from './sector.definition';
import { SectorAppModule } from './sector-app.module';

/**
 * A sector's sync service as a hybrid Nest app: the HTTP side (citizens, health, metrics)
 * and the sector-sync microservice transport running the sector's `@EventPattern` rules.
 * The caller listens (`listenWithManagement`: /health and /metrics on the management port).
 */
export async function createSectorApp(
  definition: SectorDefinition,
  config: SectorConfig,
  run: EngineRunOptions = {},
  nest: NestApplicationOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(SectorAppModule.forSector(definition, config, run), nest);
  if (nest.bufferLogs) app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  splitManagementPort(app);
  connectSectorSync(app);
  await app.startAllMicroservices();
  return app;
}

/**
 * `main.js` of a sync app. `--rebuild` empties the sector's tables and replays its share
 * topic from the start (stop the running instances first; the other sectors carry on).
 */
export function runSectorApp(definition: SectorDefinition, argv = process.argv): void {
  const service = `sync-${definition.sector}`;
  const bootstrap = async () => {
    startTracing(service);
    const config = loadSectorConfig(definition);
    const rebuild = argv.includes('--rebuild');
    const listen = loadListenConfig(service, {
      port: definition.defaultPort,
      managementPort: definition.defaultPort + 100,
    });
    await migrateAuditTrail(config.databaseUrl);
    const app = await createSectorApp(definition, config, { rebuild }, { bufferLogs: true });
    await listenWithManagement(app, listen);
    createLogger(service).info(
      { port: listen.port, managementPort: listen.managementPort, rebuild },
      `${service} listening`,
    );
    // A failure that waiting cannot cure (a refused rebuild, a broken migration) ends the process.
    await app.get(SectorSyncEngine).start();
  };
  bootstrap().catch((error: unknown) => {
    createLogger(service).fatal({ err: describeError(error) }, 'boot failed');
    process.exit(1);
  });
}
