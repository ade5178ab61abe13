import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRepository } from '../domain/contract-checks/contract-checks';
import { SCHEMAS_DIR } from '../infrastructure/schemas/schema-files';
import { loadContractSet } from '../infrastructure/sharing/contract-set.loader';

const ROOT = resolve(__dirname, '../../../..');
const CLI = join(ROOT, 'libs/contracts/src/cli/contracts-check.cli.ts');
const dirs: string[] = [];

function copyOfSchemas(): string {
  const dir = mkdtempSync(join(tmpdir(), 'contracts-'));
  dirs.push(dir);
  cpSync(SCHEMAS_DIR, dir, { recursive: true });
  return dir;
}

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}

function run(args: string[]) {
  const result = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Avro = { fields: { name: string }[] };

describe('contract checks', () => {
  it('pass on the shipped schemas', () => {
    const violations = checkRepository(loadContractSet()).flatMap((r) => r.violations);
    expect(violations).toEqual([]);
  });

  it('fail, naming the field and the rule, when v3 drops a required field', () => {
    const dir = copyOfSchemas();
    const v2 = JSON.parse(readFileSync(join(dir, 'citizen-changed/v2.avsc'), 'utf8')) as Avro;
    v2.fields = v2.fields.filter((f) => f.name !== 'givenName');
    writeFileSync(join(dir, 'citizen-changed/v3.avsc'), JSON.stringify(v2));
    const violations = checkRepository(loadContractSet(dir)).flatMap((r) => r.violations);
    expect(violations).toContainEqual(
      expect.objectContaining({
        rule: 'compatibility',
        subject: 'population.citizen-changed-value',
        field: 'givenName',
        message: expect.stringContaining('old reader v1 cannot read data written with v3'),
      }),
    );
  });

  it('fail when the policy withholds a field a projection still contains', () => {
    const dir = copyOfSchemas();
    editJson(join(dir, 'sharing-policy.json'), (policy) => {
      const tax = (policy.sectors as Record<string, { fieldGroups: string[] }>).tax!;
      tax.fieldGroups = tax.fieldGroups.filter((g) => g !== 'temporaryResidence');
    });
    const violations = checkRepository(loadContractSet(dir)).flatMap((r) => r.violations);
    expect(violations).toContainEqual(
      expect.objectContaining({
        rule: 'policy-withholds-field',
        subject: 'share.tax.citizen-changed-value v2',
        field: 'temporaryResidence',
      }),
    );
    expect(violations).toContainEqual(expect.objectContaining({ rule: 'projection-out-of-date' }));
  });

  it('fail when the policy grants a sensitive field without a legal basis, naming sector and field', () => {
    const dir = copyOfSchemas();
    editJson(join(dir, 'sharing-policy.json'), (policy) => {
      const sectors = policy.sectors as Record<string, Record<string, unknown>>;
      delete sectors.land!.redactedFields; // land would receive ethnicity again...
      delete sectors.bhyt!.sensitiveFieldBasis; // ...and bhyt loses its basis
    });
    const violations = checkRepository(loadContractSet(dir)).flatMap((r) => r.violations);
    const sensitive = violations.filter((v) => v.rule === 'policy-sensitive-without-basis');
    expect(sensitive).toEqual([
      expect.objectContaining({
        field: 'ethnicity',
        message: expect.stringContaining('sector bhyt is granted the sensitive field ethnicity'),
      }),
      expect.objectContaining({
        field: 'ethnicity',
        message: expect.stringContaining('sector land is granted the sensitive field ethnicity'),
      }),
    ]);
  });
});

// Each run starts a process that loads the platform lib: seconds on a busy machine.
describe('contracts:check CLI', { timeout: 60_000 }, () => {
  it('exits 0 on the shipped schemas', () => {
    const { code, output } = run([]);
    expect(output).toContain('OK:');
    expect(code).toBe(0);
  });

  it('exits 1 on a policy granting ethnicity without a basis, naming sector and field', () => {
    const dir = copyOfSchemas();
    editJson(join(dir, 'sharing-policy.json'), (policy) => {
      const sectors = policy.sectors as Record<string, Record<string, unknown>>;
      delete sectors.bhyt!.sensitiveFieldBasis;
    });
    const { code, output } = run(['--schemas', dir]);
    expect(output).toMatch(
      /\[policy-sensitive-without-basis\] schemas\/sharing-policy\.json: field 'ethnicity': sector bhyt is granted the sensitive field ethnicity without an explicit legal basis/,
    );
    expect(code).toBe(1);
  });

  it('exits 1 with a readable report on a violation', () => {
    const dir = copyOfSchemas();
    const v3 = JSON.parse(readFileSync(join(dir, 'citizen-changed/v3.avsc'), 'utf8')) as Avro;
    v3.fields = v3.fields.filter((f) => f.name !== 'dateOfBirth');
    writeFileSync(join(dir, 'citizen-changed/v4.avsc'), JSON.stringify(v3));
    const { code, output } = run(['--schemas', dir]);
    expect(output).toMatch(
      /\[compatibility\] population\.citizen-changed-value: field 'dateOfBirth': FULL_TRANSITIVE/,
    );
    expect(code).toBe(1);
  });

  it('checks a sector team reader schema: one requiring a withheld field fails', () => {
    const dir = copyOfSchemas();
    const reader = join(dir, 'my-land-reader.avsc');
    editJson(join(dir, 'projections/land/v1.avsc'), (schema) => {
      (schema.fields as object[]).push({ name: 'temporaryResidence', type: 'string' });
    });
    cpSync(join(dir, 'projections/land/v1.avsc'), reader);
    const { code, output } = run(['--reader', reader, '--topic', 'share.land.citizen-changed']);
    expect(output).toContain("field 'temporaryResidence'");
    expect(code).toBe(1);
    const ok = run([
      '--reader',
      join(SCHEMAS_DIR, 'projections/land/v1.avsc'),
      '--topic',
      'share.land.citizen-changed',
    ]);
    expect(ok.code).toBe(0);
  });

  it('exits 2 on bad usage', () => {
    expect(run(['--reader', 'x.avsc']).code).toBe(2);
  });
});
