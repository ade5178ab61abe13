import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { createLogger, describeError, HttpErrorFilter } from '@bus/platform';
import { SectorSyncEngine } from '@bus/sector-sync';
import { loadSectorConfig } from './sector.config';
import type { SectorDefinition } from './sector.definition';
import { SectorAppModule } from './sector-app.module';

/**
 * `main.js` of a sync app. `--rebuild` empties the sector's tables and replays its share
 * topic from the start (stop the running instances first; the other sectors carry on).
 */
export function runSectorApp(definition: SectorDefinition, argv = process.argv): void {
  const service = `sync-${definition.sector}`;
  const bootstrap = async () => {
    const config = loadSectorConfig(definition);
    const rebuild = argv.includes('--rebuild');
    const app = await NestFactory.create(
      SectorAppModule.forSector(definition, config, { rebuild }),
      { bufferLogs: true },
    );
    app.useLogger(app.get(Logger));
    app.useGlobalFilters(new HttpErrorFilter());
    app.enableShutdownHooks();
    await app.listen(config.port, '0.0.0.0');
    createLogger(service).info({ port: config.port, rebuild }, `${service} listening`);
    // A failure that waiting cannot cure (a refused rebuild, a broken migration) ends the process.
    await app.get(SectorSyncEngine).start();
  };
  bootstrap().catch((error: unknown) => {
    createLogger(service).fatal({ err: describeError(error) }, 'boot failed');
    process.exit(1);
  });
}
