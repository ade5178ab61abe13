import 'reflect-metadata';
import { loadLagMonitorConfig } from '@bus/lag-monitor';
import { createLogger, describeError } from '@bus/platform';
import { createOpsConsoleApp } from './ops-console.app';

async function bootstrap(): Promise<void> {
  const logger = createLogger('ops-console');
  try {
    const config = loadLagMonitorConfig();
    const app = await createOpsConsoleApp(config, logger);
    await app.listen(config.port);
    logger.info({ port: config.port }, 'ops console listening');
  } catch (error) {
    logger.fatal({ err: error }, `ops console failed to start: ${describeError(error)}`);
    process.exit(1);
  }
}

void bootstrap();
