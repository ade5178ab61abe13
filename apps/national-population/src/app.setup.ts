import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { splitManagementPort } from '@bus/platform';
import { jsonBody, type PopulationConfig } from '@bus/population';

/** The API on 3000; /health and /metrics on 3100 only (MANAGEMENT_PORT). */
export const POPULATION_PORTS = { port: 3000, managementPort: 3100 };

/** Ports, body limits, logging and OpenAPI: shared by main.ts and the integration tests. */
export function configureApp(app: INestApplication, config: PopulationConfig): void {
  app.useLogger(app.get(Logger));
  splitManagementPort(app);
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
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
