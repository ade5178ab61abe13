import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const STATE_DIR = join(ROOT, '.stack');
export const CACHE_DIR = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'citizen-bus',
);
