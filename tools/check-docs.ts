// `npm test` runs this: README.md and docs/*.md name the environment variables the code reads,
// and only those, and every repository path and npm script they name exists. The rules:
// lib/docs-check.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDocs, formatFinding, isEnvironmentSource, type TextFile } from './lib/docs-check.ts';
import { ROOT } from './lib/paths.ts';

const read = (path: string): TextFile => ({ path, text: readFileSync(join(ROOT, path), 'utf8') });

// Tracked files plus new ones not yet committed, never ignored output (dist/, bench results).
const repoFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((path) => path.length > 0);

const docs = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
].map(read);
const code = repoFiles.filter(isEnvironmentSource).map(read);

const isIgnored = (path: string) =>
  spawnSync('git', ['check-ignore', '--quiet', '--no-index', path], { cwd: ROOT }).status === 0;

const scripts = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts,
);

const findings = checkDocs({ code, docs, repoFiles, scripts, isIgnored });
for (const finding of findings) console.error(formatFinding(finding));
if (findings.length > 0) process.exit(1);
console.log(`docs: ${docs.length} files agree with ${code.length} source files and the repository`);
