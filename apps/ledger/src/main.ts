import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { busLoggerModule, createLogger, describeError, HttpErrorFilter } from '@bus/platform';
import { LedgerIngestEngine, LedgerModule, loadLedgerConfig } from '@bus/ledger';

async function bootstrap(): Promise<void> {
  const config = loadLedgerConfig();
  @Module({ imports: [busLoggerModule('ledger'), LedgerModule.forRoot(config)] })
  class LedgerAppModule {}
  const app = await NestFactory.create(LedgerAppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  createLogger('ledger').info({ port: config.port }, 'ledger listening');
  await app.get(LedgerIngestEngine).start();
}

bootstrap().catch((error: unknown) => {
  createLogger('ledger').fatal({ err: describeError(error) }, 'boot failed');
  process.exit(1);
});
