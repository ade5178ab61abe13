import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { createOpsRuntime, type LagMonitorConfig, type OpsRuntimeOptions } from '@bus/lag-monitor';
import { HttpErrorFilter, splitManagementPort, type Logger as BusLogger } from '@bus/platform';
import { OpsConsoleModule } from './ops-console.module';

const resolvePackage = (name: string) => createRequire(join(__dirname, 'noop.js')).resolve(name);

/** Builds the console (runtime + HTTP app) without listening: main.ts and tests share it. */
export async function createOpsConsoleApp(
  config: LagMonitorConfig,
  logger?: BusLogger,
  options: OpsRuntimeOptions = {},
): Promise<NestExpressApplication> {
  const runtime = await createOpsRuntime(config, logger, options);
  const app = await NestFactory.create<NestExpressApplication>(
    OpsConsoleModule.forRuntime(runtime),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  splitManagementPort(app);
  // The page is plain files served by the app itself: it works with no internet. Its
  // sign-in library (oidc-client-ts, authorization code + PKCE) comes from node_modules.
  app.useStaticAssets(join(__dirname, 'public'), { index: 'index.html' });
  app.useStaticAssets(
    join(dirname(resolvePackage('oidc-client-ts/package.json')), 'dist/browser'),
    {
      prefix: '/vendor/',
    },
  );
  app.enableShutdownHooks();
  await runtime.start();
  return app;
}
