import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { onCleanup, testStack } from '@bus/testing';

const ROOT = resolve(__dirname, '../../../..');
const NODE = join(ROOT, 'node_modules/.bin/node');

export interface RelayProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** The real relay entry point (relay.main.ts) as a child process, run from the sources. */
export function spawnRelay(
  databaseUrl: string,
  topic: string,
  brokers: readonly string[] = testStack().kafkaBrokers,
): RelayProcess {
  const child = spawn(
    NODE,
    [
      '--import',
      join(__dirname, 'ts-hooks.mjs'),
      join(ROOT, 'apps/national-population/src/relay.main.ts'),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NATIONAL_POPULATION_DATABASE_URL: databaseUrl,
        RELAY_TOPIC: topic,
        KAFKA_BROKERS: brokers.join(','),
        SCHEMA_REGISTRY_URL: testStack().schemaRegistryUrl,
        MASTER_TOPIC_PARTITIONS: '3',
        // Small batches so that a kill lands between a send and its "published" mark.
        RELAY_BATCH_SIZE: '50',
        RELAY_POLL_INTERVAL_MS: '1000',
        LOG_LEVEL: 'info',
      },
    },
  );
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  onCleanup(() => kill('SIGKILL'));
  return { child, output: () => log, kill };
}
