import {
  createKafka,
  createLogger,
  createPool,
  describeError,
  migrateAuditTrail,
  type Logger,
  type Pool,
} from '@bus/platform';
import { sharingPolicy } from '@bus/contracts';
import { DeadLetterService } from '../application/dead-letters.service';
import { EventTrailService } from '../application/event-trail.service';
import { LagMonitorService } from '../application/lag-monitor.service';
import type { LagMonitorConfig } from '../lag-monitor.config';
import { KafkaOffsetSource } from './kafka-offset.source';
import { KafkaRecordPublisher } from './kafka-record.publisher';
import { KafkaTopicReader } from './kafka-topic.reader';
import { KafkaMasterLocator, PgOutboxReader, PgReceiptReader } from './event-trail.sources';
import { createLagMetrics, type LagMetrics } from './lag-metrics';
import { migrateOpsDatabase, PgReplayLedger } from './pg-replay.ledger';
import { RegistryPayloadDecoder } from './registry-payload.decoder';
import { SyncProgressListener } from './sync-progress.listener';

export interface OpsHealth {
  readonly ok: boolean;
  readonly kafka: string;
  readonly database: string;
  readonly polls: number;
  readonly lastPollAt: string | null;
  readonly lastPollError: string | null;
}

export interface OpsRuntime {
  readonly config: LagMonitorConfig;
  readonly monitor: LagMonitorService;
  readonly deadLetters: DeadLetterService;
  /** "Where is this event?" */
  readonly trail: EventTrailService;
  readonly metrics: LagMetrics;
  /** The ops database (replay ledger, audit trail). */
  readonly pool: Pool;
  health(): Promise<OpsHealth>;
  /** Starts polling and following ops.sync-progress. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface OpsRuntimeOptions {
  /** Process metrics (CPU, heap) in /metrics; off in tests that start several runtimes. */
  readonly defaultMetrics?: boolean;
}

/** The composition root of the ops console: used by the app, the CLI and the tests. */
export async function createOpsRuntime(
  config: LagMonitorConfig,
  logger?: Logger,
  options: OpsRuntimeOptions = {},
): Promise<OpsRuntime> {
  await migrateOpsDatabase(config.databaseUrl, logger);
  await migrateAuditTrail(config.databaseUrl, logger);
  const pool = createPool(config.databaseUrl, 4);
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    clientId: 'ops-console',
    ...(logger ? { logger } : {}),
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([admin.connect(), producer.connect()]);
  const ledger = new PgReplayLedger(pool);
  const monitor = new LagMonitorService(
    new KafkaOffsetSource(admin),
    ledger,
    {
      windowSize: config.windowSize,
      tableSize: config.tableSize,
      historySize: config.historySize,
      thresholds: config.thresholds,
      selection: { prefixes: config.groupPrefixes, expected: config.expectedGroups },
      sectors: config.sectors,
    },
    logger,
  );
  const deadLetters = new DeadLetterService(
    new KafkaTopicReader(kafka, admin),
    new RegistryPayloadDecoder(config.schemaRegistryUrl),
    new KafkaRecordPublisher(producer),
    ledger,
    { sectors: config.sectors, listLimit: config.deadLetterListLimit },
    logger,
  );
  // Pools on the national and ledger databases: connected at the first question only.
  const nationalPool = createPool(config.trail.nationalDatabaseUrl, 2);
  const ledgerPool = createPool(config.trail.ledgerDatabaseUrl, 2);
  const reader = new KafkaTopicReader(kafka, admin);
  const trail = new EventTrailService(
    new PgOutboxReader(nationalPool),
    new PgReceiptReader(ledgerPool),
    new KafkaMasterLocator(
      admin,
      reader,
      new RegistryPayloadDecoder(config.schemaRegistryUrl),
      config.trail.masterTopic,
    ),
    deadLetters,
    {
      masterTopic: config.trail.masterTopic,
      sectors: config.sectors,
      routerGroup: config.trail.routerGroup,
      grants: sharingPolicy().sectors,
      traceUrl: config.trail.traceUrl,
    },
  );
  const progress = new SyncProgressListener(
    kafka,
    config.progressTopic,
    (p) => monitor.recordProgress(p),
    logger ?? createLogger('ops-console'),
  );
  const metrics = createLagMetrics(monitor, options.defaultMetrics ?? true);
  let started = false;

  return {
    config,
    monitor,
    deadLetters,
    trail,
    metrics,
    pool,
    async health() {
      const [kafkaState, databaseState] = await Promise.all([
        admin.describeCluster().then(
          (c) => `ok (${c.brokers.length} broker(s))`,
          (e: unknown) => `down: ${describeError(e)}`,
        ),
        pool.query('SELECT 1').then(
          () => 'ok',
          (e: unknown) => `down: ${describeError(e)}`,
        ),
      ]);
      const h = monitor.monitorHealth();
      return {
        ok: kafkaState.startsWith('ok') && databaseState === 'ok',
        kafka: kafkaState,
        database: databaseState,
        polls: h.polls,
        lastPollAt: h.lastPollAt === null ? null : new Date(h.lastPollAt).toISOString(),
        lastPollError: h.lastError,
      };
    },
    async start() {
      if (started) return;
      started = true;
      await progress.start();
      monitor.start(config.pollIntervalMs);
    },
    async stop() {
      await monitor.stop();
      await progress.stop();
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      await Promise.allSettled([pool.end(), nationalPool.end(), ledgerPool.end()]);
    },
  };
}
