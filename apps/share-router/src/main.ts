import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  busLoggerModule,
  TracingModule,
  createLogger,
  describeError,
  loadListenConfig,
  startTracing,
} from '@bus/platform';
import { loadShareRouterConfig, ShareRouterEngine, ShareRouterModule } from '@bus/sharing';
import { Logger } from 'nestjs-pino';
import { Module } from '@nestjs/common';

async function bootstrap(): Promise<void> {
  startTracing('share-router');
  const config = loadShareRouterConfig();
  @Module({
    imports: [busLoggerModule('share-router'), TracingModule, ShareRouterModule.forRoot(config)],
  })
  class ShareRouterAppModule {}
  const app = await NestFactory.create(ShareRouterAppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // No API: its one port serves only /health and /metrics, on loopback unless HOST says otherwise.
  const { host } = loadListenConfig('share-router', {
    port: config.port,
    managementPort: config.port,
  });
  await app.listen(config.port, host);
  createLogger('share-router').info({ port: config.port }, 'share-router listening');
  await app.get(ShareRouterEngine).start();
}

bootstrap().catch((error: unknown) => {
  createLogger('share-router').fatal({ err: describeError(error) }, 'boot failed');
  process.exit(1);
});
