import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createLogger, describeError } from '@bus/platform';
import { loadPopulationConfig, migratePopulation } from '@bus/population';
import { configureApp } from './app.setup';
import { NationalPopulationModule } from './national-population.module';

async function bootstrap(): Promise<void> {
  const config = loadPopulationConfig();
  const logger = createLogger('national-population');
  await migratePopulation(config.databaseUrl, logger);
  const app = await NestFactory.create(NationalPopulationModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app, config);
  await app.listen(config.port, '0.0.0.0');
  logger.info({ port: config.port, relay: config.relay.enabled }, 'national-population listening');
}

bootstrap().catch((error: unknown) => {
  createLogger('national-population').fatal({ err: describeError(error) }, 'boot failed');
  process.exit(1);
});
