import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { createLogger, describeError } from '@bus/platform';
import { jsonBody, loadPopulationConfig, migratePopulation } from '@bus/population';
import { NationalPopulationModule } from './national-population.module';

async function bootstrap(): Promise<void> {
  const config = loadPopulationConfig();
  const logger = createLogger('national-population');
  await migratePopulation(config.databaseUrl, logger);
  const app = await NestFactory.create(NationalPopulationModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.use('/citizens/initial-load', jsonBody(config.http.bulkLoadBodyLimit));
  app.use(jsonBody(config.http.bodyLimit));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('National population service')
      .setDescription(
        'Civil-status commands and queries; every change is published to population.citizen-changed',
      )
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  await app.listen(config.port, '0.0.0.0');
  logger.info({ port: config.port, relay: config.relay.enabled }, 'national-population listening');
}

bootstrap().catch((error: unknown) => {
  createLogger('national-population').fatal({ err: describeError(error) }, 'boot failed');
  process.exit(1);
});
