import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../paths.ts';
import { StackError } from '../stack-error.ts';

/**
 * Runs a compiled scenario (bench/<name>.bench.ts → dist/bench/<name>.bench.js) that
 * uses the bus's own libs. It prints progress on stderr and one JSON result as
 * its last stdout line.
 */
export async function runScenario(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Record<string, unknown> | undefined> {
  const entry = join(ROOT, 'dist/bench', `${name}.bench.js`);
  if (!existsSync(entry)) return undefined;
  const child = spawn(process.execPath, ['--expose-gc', entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let last = '';
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => (last = line));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new StackError(`scenario ${name} exited with ${code}`);
  return JSON.parse(last) as Record<string, unknown>;
}
