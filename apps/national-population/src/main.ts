import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  createLogger,
  describeError,
  listenWithManagement,
  loadListenConfig,
  migrateAuditTrail,
  startTracing,
} from '@bus/platform';
import { loadPopulationConfig, migratePopulation } from '@bus/population';
import { configureApp, POPULATION_PORTS } from './app.setup';
import { NationalPopulationModule } from './national-population.module';

async function bootstrap(): Promise<void> {
  startTracing('national-population');
  const config = loadPopulationConfig();
  const logger = createLogger('national-population');
  await migratePopulation(config.databaseUrl, logger);
  await migrateAuditTrail(config.databaseUrl, logger);
  const app = await NestFactory.create(NationalPopulationModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  const listen = loadListenConfig('national-population', POPULATION_PORTS);
  configureApp(app, config);
  await listenWithManagement(app, listen);
  logger.info(
    { port: listen.port, managementPort: listen.managementPort, relay: config.relay.enabled },
    'national-population listening',
  );
}

bootstrap().catch((error: unknown) => {
  createLogger('national-population').fatal({ err: describeError(error) }, 'boot failed');
  process.exit(1);
});
