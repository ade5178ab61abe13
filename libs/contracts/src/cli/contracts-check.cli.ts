import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BusError, describeError } from '@bus/platform';
import { checkReader, checkRepository, writersOf } from '../domain/contract-checks/contract-checks';
import { type CheckResult, formatReport } from '../domain/contract-checks/contract-report';
import { checkRegistry, registryWriters } from '../infrastructure/registry/registry-checks';
import { readSchemaFile, SCHEMAS_DIR } from '../infrastructure/schemas/schema-files';
import { loadContractSet } from '../infrastructure/sharing/contract-set.loader';
import { writeProjections } from '../infrastructure/sharing/shipped-policy';

const USAGE = `Usage: npm run contracts:check -- [options]

Checks the event contracts in schemas/: version chains (FULL_TRANSITIVE), round trips of
sample events through every reader and writer version, and the sharing policy.

  --reader <file.avsc> --topic <topic>  check your own reader schema against every writer
                                        version of the topic (share.<sector>.citizen-changed)
  --registry <url>                      also ask a live registry (/compatibility?verbose=true);
                                        with --reader, take the writer versions from it
  --schemas <dir>                       the schemas folder (default: the repo's schemas/)
  --generate                            regenerate schemas/projections/ from the policy first
  --help

Exit code: 0 all checks pass, 1 a contract is violated, 2 bad usage or unreachable registry.
`;

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      reader: { type: 'string' },
      topic: { type: 'string' },
      registry: { type: 'string' },
      schemas: { type: 'string' },
      generate: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if ((values.reader === undefined) !== (values.topic === undefined)) {
    out('--reader and --topic go together.\n');
    out(USAGE);
    return 2;
  }
  const dir = values.schemas === undefined ? SCHEMAS_DIR : resolve(values.schemas);
  if (values.generate) {
    for (const p of writeProjections(dir)) {
      out(`${p.written ? 'wrote' : 'unchanged'} ${p.file}`);
    }
  }
  const set = loadContractSet(dir);
  let title: string;
  let results: CheckResult[];
  if (values.reader !== undefined && values.topic !== undefined) {
    const source = values.registry ?? 'repo';
    const writers =
      values.registry === undefined
        ? writersOf(set, values.topic)
        : await registryWriters(values.registry, values.topic);
    if (writers === undefined || writers.length === 0) {
      out(`No writer versions for topic ${values.topic} in ${source}.`);
      return 2;
    }
    title = `contracts:check reader ${values.reader} for ${values.topic} (writers from ${source})`;
    results = checkReader(
      set,
      readSchemaFile(resolve(values.reader)),
      values.topic,
      writers,
      source,
    );
  } else {
    title = `contracts:check ${dir}${values.registry ? ` and registry ${values.registry}` : ''}`;
    results = checkRepository(set);
    if (values.registry !== undefined) results.push(...(await checkRegistry(set, values.registry)));
  }
  out(formatReport(title, results));
  return results.some((r) => r.violations.length > 0) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    out(`contracts:check: ${describeError(error)}`);
    if (error instanceof BusError) {
      for (const f of error.fields) out(`  - ${f.path}: ${f.message}`);
      process.exitCode = error.kind === 'transient' ? 2 : 1;
    } else {
      process.exitCode = 2;
    }
  },
);
