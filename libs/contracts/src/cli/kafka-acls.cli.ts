import { parseArgs } from 'node:util';
import { createKafka, describeError, env, loadConfig } from '@bus/platform';
import { z } from 'zod';
import { aclKey, wantedKafkaAcls } from '../domain/access/kafka-acls';
import { applyKafkaAcls, kafkaAclDiff } from '../infrastructure/access/kafka-acls.admin';

const USAGE = `Usage: npm run kafka:acls -- --check | --apply

Compares the broker's ACLs with the ones the bus wants (derived from the names on the wire and
the sectors of the sharing policy, libs/contracts/src/domain/access/kafka-acls.ts).

  --check   print the difference; exit 1 when there is one
  --apply   add the missing ACLs and delete the extra ones

Connects to KAFKA_BROKERS as the admin principal (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD or
KAFKA_SASL_PASSWORD_FILE, KAFKA_SSL_CA_FILE). Exit code 2: bad usage or unreachable broker.
`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: 'boolean', default: false },
      apply: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || values.check === values.apply) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const { KAFKA_BROKERS } = loadConfig('kafka:acls', z.object({ KAFKA_BROKERS: env.kafkaBrokers }));
  const admin = createKafka({
    brokers: KAFKA_BROKERS,
    clientId: 'kafka-acls',
    overrides: { retry: { retries: 2 } },
  }).admin();
  await admin.connect();
  try {
    const wanted = wantedKafkaAcls();
    const diff = values.apply
      ? await applyKafkaAcls(admin, wanted)
      : await kafkaAclDiff(admin, wanted);
    for (const acl of diff.missing) process.stdout.write(`+ ${aclKey(acl)}\n`);
    for (const acl of diff.extra) process.stdout.write(`- ${aclKey(acl)}\n`);
    const changes = diff.missing.length + diff.extra.length;
    if (values.apply) {
      process.stdout.write(`kafka:acls: ${wanted.length} ACLs wanted; ${changes} changed\n`);
      return 0;
    }
    process.stdout.write(
      changes === 0
        ? `kafka:acls: the broker has the ${wanted.length} wanted ACLs and no others\n`
        : `kafka:acls: ${diff.missing.length} missing (+), ${diff.extra.length} extra (-); npm run kafka:acls -- --apply fixes them\n`,
    );
    return changes === 0 ? 0 : 1;
  } finally {
    await admin.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kafka:acls: ${describeError(error)}\n`);
    process.exit(2);
  },
);
