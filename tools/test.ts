// `npm test`: the static checks and the unit tests run while the local stack starts in the
// background (Kafka and Keycloak take about a minute, mostly waiting), then the integration
// tests run against it. Each step's output is the same as running its npm script alone.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STATE_DIR } from './lib/paths.ts';

const STEPS = ['lint', 'docs:check', 'typecheck', 'test:alerts', 'test:unit'];
const STACK_LOG = join(STATE_DIR, 'logs', 'stack-up-for-tests.log');

function passes(script: string): boolean {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
  if (result.status === 0) return true;
  console.error(`npm test: ${script} failed (exit ${result.status ?? result.signal})`);
  return false;
}

/**
 * The integration tests' global setup decides which stack they use (test/support/global-setup.ts):
 * one named by the environment, containers when a Docker engine answers, else the local stack.
 * Only the last one is started early here; the global setup then finds it running.
 */
function startsLocalStack(): boolean {
  if (process.env.KAFKA_BROKERS) return false;
  const docker = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    timeout: 5_000,
    stdio: 'ignore',
  });
  return docker.status !== 0;
}

function startStack(): Promise<number> {
  mkdirSync(join(STATE_DIR, 'logs'), { recursive: true });
  const out = openSync(STACK_LOG, 'w');
  const child = spawn(process.execPath, ['tools/stack.ts', 'up'], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

const stack = startsLocalStack() ? startStack() : undefined;
const staticOk = STEPS.every(passes);
// Awaited even after a failure: a stack still starting when the caller runs stack:down would
// leave processes behind.
if (stack) {
  const code = await stack;
  process.stdout.write(readFileSync(STACK_LOG, 'utf8'));
  if (code !== 0) {
    console.error('npm test: the local stack did not come up (see the lines above)');
    process.exit(1);
  }
}
if (!staticOk || !passes('test:int')) process.exit(1);
