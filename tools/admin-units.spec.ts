import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./admin-units.ts', import.meta.url));

describe('tools/admin-units.ts check', () => {
  it('re-derives the shipped commune file from the vendored dispatch and matches every province total', () => {
    const run = spawnSync(process.execPath, [script, 'check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('3321 communes in 34 provinces');
  });
});
