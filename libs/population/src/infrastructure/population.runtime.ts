import { join } from 'node:path';
import { Registry } from 'prom-client';
import {
  MASTER_TOPIC,
  RELAY_DEAD_LETTER_TOPIC,
  startCitizenChangedSerializer,
} from '@bus/contracts';
import { createKafka, ensureTopics, migrate, type Logger, type Pool } from '@bus/platform';
import { CommandRunner } from '../application/command-runner';
import { ChangeMaritalStatusUseCase } from '../application/commands/change-marital-status.use-case';
import { ChangeNameUseCase } from '../application/commands/change-name.use-case';
import { CorrectRecordUseCase } from '../application/commands/correct-record.use-case';
import { IssueIdentityCardUseCase } from '../application/commands/issue-identity-card.use-case';
import { LoadInitialRecordsUseCase } from '../application/commands/load-initial-records.use-case';
import { ReaddressResidentsUseCase } from '../application/commands/readdress-residents.use-case';
import { MergeRecordsUseCase } from '../application/commands/merge-records.use-case';
import { RegisterBirthUseCase } from '../application/commands/register-birth.use-case';
import { RegisterDeathUseCase } from '../application/commands/register-death.use-case';
import { RegisterResidenceUseCase } from '../application/commands/register-residence.use-case';
import { ReissuePersonalIdUseCase } from '../application/commands/reissue-personal-id.use-case';
import { systemClock, type Clock } from '../application/population.ports';
import { CitizenQueries } from '../application/queries/citizen.queries';
import { shippedCitizenChangedCodec, wireHeader } from './outbox/citizen-changed.codec';
import { ensureMasterTopic } from './outbox/master-topic';
import { OutboxRelay } from './outbox/outbox-relay';
import { RelayMetrics } from './outbox/relay.metrics';
import { PgPopulationStore } from './persistence/pg-population.store';
import type { PopulationConfig } from './population.config';

export const POPULATION_MIGRATIONS_DIR = join(__dirname, 'migrations');

export function migratePopulation(databaseUrl: string, logger?: Logger): Promise<string[]> {
  return migrate({ databaseUrl, dir: POPULATION_MIGRATIONS_DIR, ...(logger ? { logger } : {}) });
}

/** The application layer, wired to PostgreSQL: what the HTTP API and the simulator call. */
export interface PopulationServices {
  readonly registerBirth: RegisterBirthUseCase;
  readonly registerDeath: RegisterDeathUseCase;
  readonly changeName: ChangeNameUseCase;
  readonly registerResidence: RegisterResidenceUseCase;
  readonly changeMaritalStatus: ChangeMaritalStatusUseCase;
  readonly issueIdentityCard: IssueIdentityCardUseCase;
  readonly correctRecord: CorrectRecordUseCase;
  readonly mergeRecords: MergeRecordsUseCase;
  readonly reissuePersonalId: ReissuePersonalIdUseCase;
  readonly loadInitialRecords: LoadInitialRecordsUseCase;
  readonly readdressResidents: ReaddressResidentsUseCase;
  readonly queries: CitizenQueries;
}

export function createPopulationServices(
  pool: Pool,
  clock: Clock = systemClock,
): PopulationServices {
  const store = new PgPopulationStore(pool);
  const runner = new CommandRunner(store, clock);
  return {
    registerBirth: new RegisterBirthUseCase(runner),
    registerDeath: new RegisterDeathUseCase(runner),
    changeName: new ChangeNameUseCase(runner),
    registerResidence: new RegisterResidenceUseCase(runner),
    changeMaritalStatus: new ChangeMaritalStatusUseCase(runner),
    issueIdentityCard: new IssueIdentityCardUseCase(runner),
    correctRecord: new CorrectRecordUseCase(runner),
    mergeRecords: new MergeRecordsUseCase(runner),
    reissuePersonalId: new ReissuePersonalIdUseCase(runner),
    loadInitialRecords: new LoadInitialRecordsUseCase(store, clock),
    readdressResidents: new ReaddressResidentsUseCase(store, clock),
    queries: new CitizenQueries(store),
  };
}

export interface RelayWiring {
  readonly config: Pick<
    PopulationConfig,
    'databaseUrl' | 'topic' | 'kafkaBrokers' | 'schemaRegistryUrl' | 'masterTopic' | 'relay'
  >;
  readonly logger: Logger;
  readonly metrics?: RelayMetrics;
  readonly clientId?: string;
  /** See OutboxRelayOptions.onFatal: apps exit, tests observe. */
  readonly onFatal?: (error: unknown) => void;
}

/** The outbox relay: creates the compacted master topic and registers the schema on first use. */
export function createOutboxRelay({
  config,
  logger,
  metrics,
  clientId,
  onFatal,
}: RelayWiring): OutboxRelay {
  const topic = config.topic;
  // A relay pointed at another topic (tests, benches) keeps its letters beside it.
  const deadLetterTopic =
    config.relay.deadLetterTopic ??
    (topic === MASTER_TOPIC ? RELAY_DEAD_LETTER_TOPIC : `${topic}.dlt`);
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    clientId: clientId ?? 'bus.national-population.relay',
    logger,
  });
  return new OutboxRelay({
    databaseUrl: config.databaseUrl,
    kafka,
    topic,
    deadLetterTopic,
    logger,
    ...(metrics ? { metrics } : {}),
    ...(onFatal ? { onFatal } : {}),
    batchSize: config.relay.batchSize,
    pollIntervalMs: config.relay.pollIntervalMs,
    prune: {
      retainPublishedSeconds: config.relay.retainPublishedSeconds ?? 0,
      batchSize: config.relay.pruneBatchSize ?? 1_000,
      intervalMs: config.relay.pruneIntervalMs ?? 5_000,
    },
    prepare: async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await ensureMasterTopic(admin, { topic, ...config.masterTopic }, logger);
        await ensureTopics(admin, [{ topic: deadLetterTopic, numPartitions: 1 }], { logger });
      } finally {
        await admin.disconnect();
      }
      const serializer = await startCitizenChangedSerializer(config.schemaRegistryUrl, topic);
      // Registered from the same shipped schema as the write side's codec: rows carrying
      // its fingerprint are framed with the id just registered.
      return {
        serialize: (value: never) => serializer.serialize(value),
        preEncoded: {
          fingerprint: shippedCitizenChangedCodec().fingerprint,
          header: wireHeader(serializer.schemaId),
        },
      };
    },
  });
}

export function createRelayMetrics(
  pool: Pool,
  registry: Registry = new Registry(),
): { registry: Registry; metrics: RelayMetrics } {
  return { registry, metrics: new RelayMetrics(registry, pool) };
}
