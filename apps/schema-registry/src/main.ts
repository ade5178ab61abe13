import 'reflect-metadata';
import { createLogger, describeError } from '@bus/platform';
import { loadSchemaRegistryConfig, migrateRegistry } from '@bus/schema-registry';
import { createSchemaRegistryApp } from './schema-registry.app';

async function bootstrap(): Promise<void> {
  const config = loadSchemaRegistryConfig();
  const logger = createLogger('schema-registry', config.logLevel);
  const applied = await migrateRegistry(config.databaseUrl, logger);
  if (applied.length > 0) logger.info({ applied }, 'registry migrations applied');
  const app = await createSchemaRegistryApp(config);
  await app.listen(config.port);
  logger.info({ port: config.port }, 'schema registry listening');
}

bootstrap().catch((error: unknown) => {
  createLogger('schema-registry').fatal(describeError(error));
  process.exit(1);
});
