import { createLogger, describeError, startTracing } from '@bus/platform';
import { createOutboxRelay, loadPopulationConfig, migratePopulation } from '@bus/population';

/** The outbox relay as its own process: `node dist/apps/national-population/src/relay.main.js`. */
async function main(): Promise<void> {
  const tracing = startTracing('national-population.relay');
  const config = loadPopulationConfig();
  const logger = createLogger('national-population.relay');
  await migratePopulation(config.databaseUrl, logger);
  const relay = createOutboxRelay({
    config,
    logger,
    onFatal: () => process.exit(1),
    ...(process.env.RELAY_TOPIC ? { topic: process.env.RELAY_TOPIC } : {}),
  });
  relay.start();
  logger.info('outbox relay started');
  const stop = () => {
    relay
      .stop()
      .then(() => tracing.shutdown())
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  createLogger('national-population.relay').fatal(
    { err: describeError(error) },
    'relay failed to start',
  );
  process.exit(1);
});
