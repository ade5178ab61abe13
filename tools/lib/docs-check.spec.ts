import { describe, expect, it } from 'vitest';
import {
  checkDocs,
  docMentions,
  environmentReads,
  formatFinding,
  isEnvironmentSource,
  type TextFile,
} from './docs-check.ts';

const config: TextFile = {
  path: 'libs/demo/src/demo.config.ts',
  text: `
import { z } from 'zod';
import { env, loadConfig } from '@bus/platform';
const schema = z.object({
  KAFKA_BROKERS: env.kafkaBrokers,
  /** A comment naming NOT_A_VARIABLE is not a key. */
  DEMO_DATABASE_URL: z.string().regex(/^postgres(ql)?:\\/\\//).optional(),
  nested: z.object({ lower: z.string() }),
});
export function load(sector: string, source = process.env) {
  const upper = sector.toUpperCase();
  const own = z.object({ [\`\${upper}_DATABASE_URL\`]: z.string().optional() });
  return [loadConfig('demo', schema, source), own];
}
`,
};

const cli: TextFile = {
  path: 'tools/demo.ts',
  text: `
const { DATABASE_URL } = process.env;
const user = process.env.OPS_USER ?? 'me';
const cache = process.env['XDG_CACHE_HOME'];
`,
};

const readme: TextFile = {
  path: 'README.md',
  text: `# Demo

See [the conventions](docs/conventions.md#code) and [Kafka](https://kafka.apache.org).

| variable | default | meaning |
|---|---|---|
| \`KAFKA_BROKERS\` | \`127.0.0.1:9092\` | brokers |
| \`<SECTOR>_DATABASE_URL\` | \`bus_<sector>\` | a sector's own database |
| \`DEMO_DATABASE_URL\` | – | the demo's database |

\`DATABASE_URL\` is the server; \`--by\` defaults to \`$OPS_USER\`; the cache is
\`$XDG_CACHE_HOME/citizen-bus\`. Codes such as \`CITIZEN_NOT_FOUND\` are not variables.
Code lives in \`libs/<context>/src/{domain,application}\`, e.g. \`demo.config.ts\` and
\`libs/demo/src/*.config.ts\`; run \`node dist/tools/demo.js\`.

\`\`\`mermaid
flowchart LR
  A[libs/nowhere] --> B
\`\`\`
`,
};

const conventions: TextFile = { path: 'docs/conventions.md', text: '# Conventions\n' };

const repoFiles = [
  'README.md',
  'docs/conventions.md',
  'libs/demo/src/demo.config.ts',
  'libs/demo/src/domain/rules.ts',
  'libs/demo/src/application/use-case.ts',
  'tools/demo.ts',
];

const baseline = { code: [config, cli], docs: [readme, conventions], repoFiles };

const withDoc = (extra: string) => ({
  ...baseline,
  docs: [{ ...readme, text: readme.text + extra }, conventions],
});

describe('environmentReads', () => {
  it('finds process.env reads and the keys of schemas loaded with loadConfig', () => {
    expect(environmentReads(config).sort()).toEqual([
      '*_DATABASE_URL',
      'DEMO_DATABASE_URL',
      'KAFKA_BROKERS',
    ]);
    expect(environmentReads(cli).sort()).toEqual(['DATABASE_URL', 'OPS_USER', 'XDG_CACHE_HOME']);
  });

  it('ignores z.object keys in a file that loads no config', () => {
    const plain = { path: 'libs/demo/src/policy.ts', text: 'z.object({ ENVELOPE: z.string() });' };
    expect(environmentReads(plain)).toEqual([]);
  });
});

describe('isEnvironmentSource', () => {
  it('takes apps, libs, tools and bench code, not tests or their harnesses', () => {
    expect(isEnvironmentSource('libs/demo/src/demo.config.ts')).toBe(true);
    expect(isEnvironmentSource('tools/lib/paths.ts')).toBe(true);
    expect(isEnvironmentSource('libs/demo/src/demo.config.spec.ts')).toBe(false);
    expect(isEnvironmentSource('libs/demo/test/child.main.ts')).toBe(false);
    expect(isEnvironmentSource('test/support/global-setup.ts')).toBe(false);
  });
});

describe('docMentions', () => {
  it('claims only names presented as variables, and collects paths', () => {
    const found = docMentions(readme);
    expect(found.variables.map((v) => v.name).sort()).toEqual([
      '*_DATABASE_URL',
      'DEMO_DATABASE_URL',
      'KAFKA_BROKERS',
      'OPS_USER',
      'XDG_CACHE_HOME',
    ]);
    expect(found.mentioned.has('CITIZEN_NOT_FOUND')).toBe(true);
    expect(found.paths.map((p) => p.name)).toEqual([
      'docs/conventions.md',
      'libs/<context>/src/{domain,application}',
      '**/demo.config.ts',
      'libs/demo/src/*.config.ts',
      'tools/demo.ts',
    ]);
  });
});

describe('docMentions in snippets and tables', () => {
  it('does not claim variables a snippet assigns for itself, but still claims a process variable', () => {
    const doc = {
      path: 'docs/x.md',
      text: [
        '```bash',
        'TOKEN=$(curl -s http://127.0.0.1:8180/token)',
        'curl -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/',
        'PLANTED=1 npm start',
        '```',
      ].join('\n'),
    };
    expect(docMentions(doc).variables.map((v) => v.name)).toEqual(['PLANTED']);
  });

  it('takes only the first column of a variable table as variable names', () => {
    const doc = {
      path: 'docs/x.md',
      text: ['| variable | default |', '|---|---|', '| `OIDC_ALGORITHMS` | `RS256` |'].join('\n'),
    };
    expect(docMentions(doc).variables.map((v) => v.name)).toEqual(['OIDC_ALGORITHMS']);
  });
});

describe('checkDocs', () => {
  it('passes when docs and code agree', () => {
    expect(checkDocs(baseline)).toEqual([]);
  });

  it('fails on a variable the code reads and no doc names', () => {
    const reader = { path: 'apps/demo/src/main.ts', text: 'process.env.SECRET_KNOB;' };
    const findings = checkDocs({ ...baseline, code: [...baseline.code, reader] });
    expect(findings).toEqual([
      { kind: 'undocumented-variable', name: 'SECRET_KNOB', where: 'apps/demo/src/main.ts' },
    ]);
    expect(formatFinding(findings[0]!)).toBe(
      'apps/demo/src/main.ts: reads the environment variable SECRET_KNOB, which README.md and docs/*.md never name',
    );
  });

  it('accepts an undocumented variable only through the allow-list', () => {
    const reader = { path: 'apps/demo/src/main.ts', text: 'process.env.SECRET_KNOB;' };
    const input = { ...baseline, code: [...baseline.code, reader] };
    expect(checkDocs({ ...input, undocumentedAllowed: { SECRET_KNOB: 'a reason' } })).toEqual([]);
  });

  it('fails on a documented variable that no code reads, in a table or a command', () => {
    const findings = checkDocs(
      withDoc(
        '\n| variable | meaning |\n|---|---|\n| `POPULATION_DATABASE_URL` | stale |\n\n' +
          '`RELAY_GONE=false node dist/tools/demo.js`\n',
      ),
    );
    expect(findings.map((f) => [f.kind, f.name, f.where])).toEqual([
      ['unread-variable', 'POPULATION_DATABASE_URL', 'README.md:23'],
      ['unread-variable', 'RELAY_GONE', 'README.md:25'],
    ]);
  });

  it('does not let a pattern read in code vouch for a concrete name', () => {
    const findings = checkDocs(withDoc('\n`LAND_DATABASE_URL=postgres://x`\n'));
    expect(findings.map((f) => f.name)).toEqual(['LAND_DATABASE_URL']);
  });

  it('fails on a path, a file name or a link target that does not exist', () => {
    const findings = checkDocs(
      withDoc(
        '\nSee `libs/demo/src/infrastructure`, `register-birth.command.ts`, ' +
          '`node dist/apps/gone/src/main.js` and [ops](docs/ops.md).\n',
      ),
    );
    expect(findings.map((f) => [f.kind, f.name])).toEqual([
      ['missing-path', 'libs/demo/src/infrastructure'],
      ['missing-path', '**/register-birth.command.ts'],
      ['missing-path', 'apps/gone/src/main.ts'],
      ['missing-path', 'docs/ops.md'],
    ]);
  });

  it('fails on an npm script that package.json does not define', () => {
    const doc = withDoc('\nRun `npm run ops -- lag` or `npm run gone:away`.\n');
    expect(checkDocs({ ...doc, scripts: ['ops'] })).toEqual([
      { kind: 'missing-script', name: 'gone:away', where: 'README.md:21' },
    ]);
  });

  it('lets a template path name generated output only where git ignores it', () => {
    const doc = withDoc('\nResults go to `bench/results/bench-<time>.json`.\n');
    expect(checkDocs(doc).map((f) => f.name)).toEqual(['bench/results/bench-<time>.json']);
    expect(checkDocs({ ...doc, isIgnored: (path) => path.startsWith('bench/results/') })).toEqual(
      [],
    );
  });
});
