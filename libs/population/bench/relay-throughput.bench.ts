/**
 * Measures the relay draining a backlog of outbox rows (not a test: speed belongs here).
 * Run: node --import ./libs/population/test/support/ts-hooks.mjs libs/population/bench/relay-throughput.bench.ts [rows]
 * Uses its own database and topic on the local stack, and removes both afterwards.
 */
import { COMMUNES, randomPersonalId } from '@bus/contracts';
import { createKafka, createLogger, createPool, databaseUrlFor, dropDatabase } from '@bus/platform';
import {
  createOutboxRelay,
  createPopulationServices,
  createRelayMetrics,
  FAMILY_NAMES,
  migratePopulation,
  outboxBacklog,
  Picker,
  seededRandom,
  type InitialRecord,
} from '@bus/population';

const ROWS = Number(process.argv[2] ?? 100_000);
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const registry = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081';
const suffix = Date.now().toString(36);
const databaseUrl = databaseUrlFor(server, `bench_population_${suffix}`);
const topic = `bench.population.citizen-changed.${suffix}`;

async function main(): Promise<void> {
  await migratePopulation(databaseUrl);
  const pool = createPool(databaseUrl, 4);
  const services = createPopulationServices(pool);
  const pick = new Picker(seededRandom(42));
  const hanoi = COMMUNES.filter((c) => c.provinceCode === '01');
  let loaded = 0;
  const loadStarted = Date.now();
  while (loaded < ROWS) {
    const records: InitialRecord[] = [];
    for (let i = 0; i < Math.min(5_000, ROWS - loaded); i++) {
      const gender = pick.chance(0.5) ? 'MALE' : 'FEMALE';
      const year = pick.int(1940, 2024);
      const commune = pick.one(hanoi).code;
      records.push({
        personalId: randomPersonalId({ provincePrefix: '001', birthYear: year, gender }, (n) =>
          pick.int(0, n - 1),
        ),
        fullName: pick.fullName(gender, pick.weighted(FAMILY_NAMES)),
        gender,
        dateOfBirth: `${year}-0${pick.int(1, 9)}-1${pick.int(0, 9)}`,
        birthRegistrationCommuneCode: commune,
        permanentResidence: {
          communeCode: commune,
          address: `${pick.int(1, 300)} Phố Huế`,
          since: `${year}-12-31`,
        },
      });
    }
    loaded += (await services.loadInitialRecords.execute({ records })).inserted;
  }
  const backlog = await outboxBacklog(pool);
  process.stdout.write(
    `loaded ${backlog.pending} outbox rows in ${((Date.now() - loadStarted) / 1000).toFixed(1)}s (bulk initial load path)\n`,
  );

  const { metrics } = createRelayMetrics(pool);
  const batchSize = Number(process.env.RELAY_BATCH_SIZE ?? 2_000);
  const relay = createOutboxRelay({
    config: {
      databaseUrl,
      topic,
      kafkaBrokers: brokers,
      schemaRegistryUrl: registry,
      masterTopic: { partitions: 12, replicationFactor: 1, minCompactionLagMs: 7 * 86_400_000 },
      relay: { enabled: true, batchSize, pollIntervalMs: 5_000 },
    },
    logger: createLogger('bench', process.env.LOG_LEVEL ?? 'warn'),
    metrics,
  });
  const started = Date.now();
  relay.start();
  for (;;) {
    const { pending } = await outboxBacklog(pool);
    if (pending === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `relay drained ${backlog.pending} rows in ${seconds.toFixed(1)}s = ${Math.round(backlog.pending / seconds)} rows/s (batch ${batchSize}, 12 partitions, acks=all, idempotent; includes schema registration and topic creation)\n`,
  );
  await relay.stop();
  await pool.end();
}

main()
  .catch((error) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await dropDatabase(databaseUrl).catch(() => undefined);
    const admin = createKafka({ brokers, clientId: 'bench-cleanup' }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });
