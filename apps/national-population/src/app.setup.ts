import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { jsonBody, type PopulationConfig } from '@bus/population';

/** Body limits, logging and OpenAPI: shared by main.ts and the integration tests. */
export function configureApp(app: INestApplication, config: PopulationConfig): void {
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
}
