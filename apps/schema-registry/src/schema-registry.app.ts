import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { createLogger } from '@bus/platform';
import { RegistryUsers, type SchemaRegistryConfig } from '@bus/schema-registry';
import { basicAuthMiddleware } from './basic-auth.middleware';
import { ConfluentErrorFilter, confluentErrorMiddleware } from './confluent-error.filter';
import { SchemaRegistryModule } from './schema-registry.module';

export const CONFLUENT_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** Content types Confluent accepts on requests; all carry JSON. */
const JSON_TYPES = ['application/json', 'application/*+json', 'application/octet-stream'];

/** The Nest app, configured but not listening: main.ts and tests share it. */
export async function createSchemaRegistryApp(
  config: SchemaRegistryConfig,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    SchemaRegistryModule.register(config),
    { bodyParser: false, bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  // Set before the handler runs: express's res.json keeps a Content-Type already set.
  app.use((request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Content-Type', CONFLUENT_CONTENT_TYPE);
    // Like Confluent (JAX-RS), a body in a type we do not read is refused rather than ignored.
    if (request.headers['content-type'] !== undefined && request.is(JSON_TYPES) === false) {
      response.status(415).json({
        error_code: 415,
        message: `HTTP 415 Unsupported Media Type: use ${CONFLUENT_CONTENT_TYPE} or application/json`,
      });
      return;
    }
    next();
  });
  if (config.usersFile) app.use(basicAuthMiddleware(RegistryUsers.fromFile(config.usersFile)));
  else
    createLogger('schema-registry').warn(
      'SCHEMA_REGISTRY_USERS_FILE is not set: every caller may register and delete schemas',
    );
  // The limit is checked against Content-Length before reading, so an oversized body is
  // refused with 413 without being buffered, parsed or stored.
  app.useBodyParser('json', { type: JSON_TYPES, limit: config.maxBodyBytes });
  app.use(confluentErrorMiddleware);
  app.useGlobalFilters(new ConfluentErrorFilter());
  app.enableShutdownHooks();
  return app;
}
