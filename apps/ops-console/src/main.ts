import 'reflect-metadata';
import { loadLagMonitorConfig } from '@bus/lag-monitor';
import {
  createLogger,
  describeError,
  listenWithManagement,
  loadListenConfig,
  startTracing,
} from '@bus/platform';
import { createOpsConsoleApp } from './ops-console.app';

async function bootstrap(): Promise<void> {
  startTracing('ops-console');
  const logger = createLogger('ops-console');
  try {
    const config = loadLagMonitorConfig();
    const listen = loadListenConfig('ops-console', { port: 3001, managementPort: 3101 });
    const app = await createOpsConsoleApp(config, logger);
    await listenWithManagement(app, listen);
    logger.info(
      { port: listen.port, managementPort: listen.managementPort },
      'ops console listening',
    );
  } catch (error) {
    logger.fatal({ err: error }, `ops console failed to start: ${describeError(error)}`);
    process.exit(1);
  }
}

void bootstrap();
