import { parseArgs } from 'node:util';
import { ConfigError, createLogger, createPool, describeError, startTracing } from '@bus/platform';
import {
  createPopulationServices,
  loadPopulationConfig,
  migratePopulation,
  progressBar,
  runSimulation,
} from '@bus/population';

/**
 * `npm run simulate -- --citizens N --changes M --rate R [--seed S]`: realistic citizens
 * and civil-status changes through the application layer, into the service's database;
 * the running service's relay publishes them. `npm start` runs it as the demo flow.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      citizens: { type: 'string', default: '100' },
      changes: { type: 'string', default: '500' },
      rate: { type: 'string', default: '20' },
      seed: { type: 'string' },
    },
  });
  const number = (name: string, value: string | undefined) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0)
      throw new ConfigError(`--${name} must be a number >= 0 (got "${value}")`);
    return parsed;
  };
  // Each simulated change's outbox write starts its trace (the demo's, in the local viewer).
  const tracing = startTracing('simulate');
  const config = loadPopulationConfig();
  await migratePopulation(config.databaseUrl, createLogger('simulate'));
  const pool = createPool(config.databaseUrl, 4);
  const bars = {
    citizens: progressBar('citizens', number('citizens', values.citizens)),
    changes: progressBar('changes ', number('changes', values.changes)),
  };
  try {
    const summary = await runSimulation({
      services: createPopulationServices(pool),
      citizens: number('citizens', values.citizens),
      changes: number('changes', values.changes),
      rate: number('rate', values.rate),
      ...(values.seed === undefined ? {} : { seed: number('seed', values.seed) }),
      onProgress: (phase, done) => bars[phase](done),
    });
    process.stdout.write(`simulate: ${JSON.stringify(summary)}\n`);
  } finally {
    await pool.end();
    await tracing.shutdown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`simulate: ${describeError(error)}\n`);
  process.exit(1);
});
