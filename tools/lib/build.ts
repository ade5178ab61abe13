import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './paths.ts';
import { StackError } from './stack-error.ts';

const ASSET = /\.(sql|avsc|json|html|css|js|svg)$/;
const SKIP = new Set(['node_modules', 'dist', '.stack', 'coverage']);

function copyAssets(dir: string): number {
  let copied = 0;
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) copied += copyAssets(path);
    else if (ASSET.test(entry) && !entry.endsWith('.spec.ts')) {
      cpSync(path, join(ROOT, 'dist', relative(ROOT, path)));
      copied++;
    }
  }
  return copied;
}

function run(bin: string, args: string[]): void {
  const result = spawnSync(join(ROOT, 'node_modules/.bin', bin), args, {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new StackError(`${bin} ${args.join(' ')} failed`);
}

/** tsc (decorator metadata for Nest), then path aliases rewritten, then non-TS assets copied beside the JS. */
export function build(): void {
  run('tsc', ['-p', 'tsconfig.build.json']);
  run('tsc-alias', ['-p', 'tsconfig.build.json']);
  for (const dir of ['apps', 'libs', 'schemas']) {
    if (existsSync(join(ROOT, dir))) copyAssets(join(ROOT, dir));
  }
}
