import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { busLoggerModule, createLogger, describeError } from '@bus/platform';
import { loadShareRouterConfig, ShareRouterEngine, ShareRouterModule } from '@bus/sharing';
import { Logger } from 'nestjs-pino';
import { Module } from '@nestjs/common';

async function bootstrap(): Promise<void> {
  const config = loadShareRouterConfig();
  @Module({ imports: [busLoggerModule('share-router'), ShareRouterModule.forRoot(config)] })
  class ShareRouterAppModule {}
  const app = await NestFactory.create(ShareRouterAppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  createLogger('share-router').info({ port: config.port }, 'share-router listening');
  await app.get(ShareRouterEngine).start();
}

bootstrap().catch((error: unknown) => {
  createLogger('share-router').fatal({ err: describeError(error) }, 'boot failed');
  process.exit(1);
});
