import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { onCleanup, waitFor } from '@bus/testing';

const ROOT = resolve(__dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A real app (`apps/<name>/src/main.ts`) in a child process, from source through tsx
 * loaded in-process, so that a signal reaches the service itself.
 */
export interface ChildApp {
  readonly process: ChildProcess;
  /** Everything the app logged (JSON lines). */
  readonly output: () => string;
  /** True once the process has exited and its stdout is drained ('close', not 'exit'). */
  readonly closed: () => boolean;
}

export function spawnApp(name: string, env: Record<string, string>): ChildApp {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'apps', name, 'src/main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  let closed = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.once('close', () => (closed = true));
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await waitFor(() => child.signalCode !== null || child.exitCode !== null, {
        description: `${name} to exit`,
      });
    }
  });
  return { process: child, output: () => output, closed: () => closed };
}

export async function killHard({ process: child }: ChildApp): Promise<void> {
  child.kill('SIGKILL');
  await waitFor(() => child.signalCode === 'SIGKILL', { description: 'the child to die' });
}

/**
 * SIGTERM, then the exit; Nest re-raises the signal once its shutdown hooks have run.
 * Waits for 'close' rather than 'exit': the last log lines may still be in the pipe
 * when the process has already exited.
 */
export async function stopGracefully({ process: child, closed }: ChildApp): Promise<void> {
  child.kill('SIGTERM');
  await waitFor(closed, {
    description: 'a graceful exit',
    timeoutMs: 30_000,
  });
}
