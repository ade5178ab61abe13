import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import {
  BusAuthModule,
  busLoggerModule,
  TracingModule,
  createLogger,
  describeError,
  HttpErrorFilter,
  listenWithManagement,
  loadListenConfig,
  startTracing,
} from '@bus/platform';
import { LedgerIngestEngine, LedgerModule, loadLedgerConfig } from '@bus/ledger';

async function bootstrap(): Promise<void> {
  startTracing('ledger');
  const config = loadLedgerConfig();
  // The bearer guard on every route (deny by default); /health and /metrics on the management port.
  @Module({
    imports: [
      busLoggerModule('ledger'),
      TracingModule,
      BusAuthModule.forService('ledger'),
      LedgerModule.forRoot(config),
    ],
  })
  class LedgerAppModule {}
  const app = await NestFactory.create(LedgerAppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  const listen = loadListenConfig('ledger', {
    port: config.port,
    managementPort: config.port + 100,
  });
  await listenWithManagement(app, listen);
  createLogger('ledger').info(
    { port: listen.port, managementPort: listen.managementPort },
    'ledger listening',
  );
  await app.get(LedgerIngestEngine).start();
}

bootstrap().catch((error: unknown) => {
  createLogger('ledger').fatal({ err: describeError(error) }, 'boot failed');
  process.exit(1);
});
