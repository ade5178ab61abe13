import type { Admin, Kafka, Message } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  type AvroSerializer,
  citizenChangedDeserializer,
  type CitizenChanged,
  type ProjectedCitizenChanged,
  project,
  SECTORS,
  type Sector,
  startShareSerializer,
  deadLetterHeaders,
  POLICY_VERSION_HEADER,
  sharingPolicy,
} from '@bus/contracts';
import {
  awaitLeaders,
  classifyFailure,
  ConfigError,
  createKafka,
  ensureTopics,
  ErrorCode,
  offsetAfter,
  PartitionBatchLoop,
  type BatchCommitted,
  type PartitionBatch,
} from '@bus/platform';
import type { CitizenStateSource } from '../application/citizen-state.port';
import type { ShareRouterConfig } from '../application/share-router.config';
import { FollowLists } from '../domain/follow-lists';
import { routeToSectors, sectorOfTopic } from '../domain/share-routing';
import { FollowFills } from './follow-fills';
import { FollowsReader } from './follows.reader';
import type { TopicMessages } from './group-commit';
import { NationalStateSource } from './national-state.source';
import { PartitionProducers } from './partition-producers';

export interface RouterHealth {
  readonly ok: boolean;
  readonly state: string;
  readonly failedAttempts: number;
  readonly pausedPartitions: readonly number[];
  /** Master partitions with records waiting and no progress for the loop's stall time. */
  readonly stalledPartitions: readonly number[];
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

/**
 * Master topic -> share topics, exactly once: the projected records, any dead letter and
 * the consumed offsets go into ONE Kafka transaction per partition batch (sendOffsets), and
 * the sector consumers read with isolation read_committed. An aborted batch leaves nothing
 * visible downstream and is fetched again. Several instances share the master partitions in
 * one consumer group; a partition's producer fences its previous owner (PartitionProducers).
 */
export class ShareRouterEngine {
  readonly registry = new Registry();
  private readonly routed = new Counter({
    name: 'share_router_records_routed_total',
    help: 'Projected records written to a share topic',
    labelNames: ['sector'],
    registers: [this.registry],
  });
  private readonly deadLettered = new Counter({
    name: 'share_router_dead_lettered_total',
    help: 'Master records sent to the router dead-letter topic',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'share_router_transient_failures_total',
    help: 'Batches aborted and retried',
    registers: [this.registry],
  });
  private readonly batchSeconds = new Histogram({
    name: 'share_router_batch_duration_seconds',
    help: 'Time to route and commit one batch transaction',
    registers: [this.registry],
  });
  private readonly invalidFollows = new Counter({
    name: 'share_router_follow_changes_invalid_total',
    help: 'Records of the follow-list topic that are not follow changes (skipped)',
    registers: [this.registry],
  });
  private readonly kafka: Kafka;
  private readonly loop: PartitionBatchLoop;
  /** Who each followed sector follows; routing waits until they are loaded. */
  readonly followLists = new FollowLists(sharingPolicy().sectors);
  private readonly follows: FollowsReader;
  private readonly fills: FollowFills;
  private readonly producers: PartitionProducers;
  private serializers?: Record<Sector, AvroSerializer<ProjectedCitizenChanged>>;
  private readonly deserializer;
  private masterPartitions = 1;
  private readonly policyVersion = String(sharingPolicy().document.policyVersion);
  private starting?: Promise<void>;

  constructor(
    private readonly config: ShareRouterConfig,
    private readonly logger: Logger,
    states: CitizenStateSource = new NationalStateSource(config.fill),
  ) {
    this.kafka = createKafka({ brokers: config.brokers, clientId: config.transactionalId, logger });
    const lists = this.followLists;
    new Gauge({
      name: 'share_router_followed_citizens',
      help: 'Citizens on the follow-list of each followed sector',
      labelNames: ['sector'],
      registers: [this.registry],
      collect() {
        for (const sector of lists.followedSectors) this.set({ sector }, lists.size(sector));
      },
    });
    this.follows = new FollowsReader(
      config,
      this.kafka,
      this.followLists,
      (batch) => this.fills.fill(batch),
      logger,
      () => this.invalidFollows.inc(),
    );
    this.fills = new FollowFills(
      this.kafka,
      config,
      states,
      (sector) => this.serializerOf(sector),
      this.registry,
      logger,
    );
    this.deserializer = citizenChangedDeserializer(config.registryUrl);
    this.producers = new PartitionProducers(this.kafka, config.groupId, logger);
    this.loop = new PartitionBatchLoop(
      {
        kafka: this.kafka,
        groupId: config.groupId,
        topics: [config.masterTopic],
        logger,
        backoff: { initialMs: 250, maxMs: 15_000 },
        consumer: {
          readUncommitted: false,
          minBytes: config.fetch.minBytes,
          maxWaitTimeInMs: config.fetch.maxWaitMs,
          sessionTimeout: config.sessionTimeoutMs,
        },
        // Every partition of a fetch at once: their transactions overlap.
        concurrency: () => this.masterPartitions,
        stallAfterMs: PartitionBatchLoop.STALL_AFTER_MS,
        onRetry: () => this.retries.inc(),
      },
      {
        prepare: (admin) => this.prepare(admin),
        positionFor: (tp, admin) => this.positionFor(tp.partition, admin),
        assigned: (partitions) => void this.producers.keepOnly(partitions.map((p) => p.partition)),
        commit: (batch) => this.commit(batch),
        close: () => this.producers.closeAll(),
      },
    );
  }

  get isRunning(): boolean {
    return this.loop.state === 'running';
  }

  /** Healthy while running and no batch has failed the loop's threshold of times in a row. */
  health(): RouterHealth {
    const failedAttempts = Math.max(this.loop.failedAttempts, this.follows.failedAttempts);
    const stalledPartitions = this.loop.stalledPartitions.map((tp) => tp.partition);
    return {
      ok:
        this.isRunning &&
        failedAttempts < PartitionBatchLoop.UNHEALTHY_AFTER_FAILED_ATTEMPTS &&
        stalledPartitions.length === 0,
      state: this.loop.state === 'starting' ? this.follows.state : this.loop.state,
      failedAttempts,
      pausedPartitions: this.loop.pausedPartitions,
      stalledPartitions,
      // A fill failing (the national API down) shows here too.
      lastError: this.follows.failedAttempts > 0 ? this.follows.lastError : this.loop.lastError,
    };
  }

  /** Idempotent: the app's main awaits the same start the lifecycle hook began. */
  start(): Promise<void> {
    this.starting ??= this.loop.start().then(() => {
      if (!this.isRunning) return;
      const { masterTopic, shareTopics } = this.config;
      this.logger.info({ masterTopic, shareTopics }, 'share router running');
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    // Together: a start still waiting for the follow-lists is released by their stop.
    await Promise.all([this.loop.stop(), this.follows.stop()]);
    await this.fills.close();
  }

  /** Topics and serializers, before the consumer joins; producers come with partitions. */
  private async prepare(admin: Admin): Promise<void> {
    await this.ensureTopics(admin);
    const entries = await Promise.all(
      SECTORS.map(
        async (sector) =>
          [
            sector,
            await startShareSerializer(
              this.config.registryUrl,
              sector,
              this.config.shareTopics[sector],
            ),
          ] as const,
      ),
    );
    this.serializers = Object.fromEntries(entries) as Record<
      Sector,
      AvroSerializer<ProjectedCitizenChanged>
    >;
    // Nothing is routed before the follow-lists are rebuilt from their compacted topic.
    await this.follows.load();
  }

  /**
   * Before a partition's first batch (after a join or a failure): its producer first, which
   * fences a previous owner and settles the transaction it left open, then the offset the
   * group committed in those transactions, which is only final after the fence.
   */
  private async positionFor(partition: number, admin: Admin): Promise<string | undefined> {
    await this.producers.claim(partition);
    const [committed] = await admin.fetchOffsets({
      groupId: this.config.groupId,
      topics: [this.config.masterTopic],
    });
    const offset = committed?.partitions.find((p) => p.partition === partition)?.offset;
    return offset === undefined || offset === '-1' ? undefined : offset;
  }

  private serializerOf(sector: Sector): AvroSerializer<ProjectedCitizenChanged> {
    return (this.serializers as Record<Sector, AvroSerializer<ProjectedCitizenChanged>>)[sector];
  }

  /** The router's commit step: the batch's records and its next offset in one transaction. */
  private async commit(batch: PartitionBatch): Promise<BatchCommitted> {
    const endTimer = this.batchSeconds.startTimer();
    const out = await this.buildBatch(batch);
    await this.producers.submit(batch.partition, {
      topicMessages: out,
      source: {
        topic: batch.topic,
        partition: batch.partition,
        offset: offsetAfter(batch.lastOffset),
      },
    });
    endTimer();
    for (const t of out) {
      const sector = sectorOfTopic(this.config.shareTopics, t.topic);
      if (sector) this.routed.inc({ sector }, t.messages.length);
    }
    return {};
  }

  private async buildBatch(batch: PartitionBatch): Promise<TopicMessages[]> {
    const byTopic = new Map<string, Message[]>();
    const push = (topic: string, message: Message) => {
      const list = byTopic.get(topic) ?? [];
      list.push(message);
      byTopic.set(topic, list);
    };
    for (const message of batch.messages) {
      try {
        const event = await this.deserializer.deserialize(message.value);
        const routes = routeToSectors<CitizenChanged>(
          event,
          this.config.shareTopics,
          project,
          (sector) => this.followLists.delivers(sector, event.personalId),
        );
        // Every projection is serialised before any is queued: a bad one fails the whole record.
        const encoded = routes.map((route) => ({
          topic: route.topic,
          value: this.serializerOf(route.sector).serialize(route.projected),
        }));
        // The policy the projection was made under: the sector's receipt carries it. One
        // object per master record, shared by its sectors' records (kafkajs only reads it).
        const headers = { ...message.headers, [POLICY_VERSION_HEADER]: this.policyVersion };
        for (const { topic, value } of encoded) {
          // Same partition as the master: per-citizen order holds end to end.
          push(topic, {
            key: message.key,
            value,
            partition: batch.partition,
            headers,
          });
        }
      } catch (error) {
        const verdict = classifyFailure(error, ErrorCode.ROUTE_FAILED);
        if (verdict.kind === 'transient') throw error;
        this.deadLettered.inc({ reason: verdict.reason });
        this.logger.warn(
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            reason: verdict.reason,
          },
          `dead-lettered: ${verdict.message}`,
        );
        push(this.config.deadLetterTopic, {
          key: message.key,
          value: message.value,
          headers: deadLetterHeaders(
            message.headers,
            {
              topic: batch.topic,
              partition: batch.partition,
              offset: message.offset,
              group: this.config.groupId,
            },
            verdict,
            new Date(),
          ),
        });
      }
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }

  /** Share topics mirror the master: same partitions (so same order per key), compacted. */
  private async ensureTopics(admin: Admin): Promise<void> {
    // The loop has waited for the master topic (the national service creates it).
    const master = await awaitLeaders(admin, [this.config.masterTopic]);
    const partitions = master.get(this.config.masterTopic) ?? 0;
    this.masterPartitions = partitions;
    const compacted = [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'min.compaction.lag.ms', value: String(7 * 24 * 3_600_000) },
    ];
    const counts = await ensureTopics(
      admin,
      [
        ...SECTORS.map((sector) => ({
          topic: this.config.shareTopics[sector],
          numPartitions: partitions,
          configEntries: compacted,
        })),
        { topic: this.config.deadLetterTopic, numPartitions: 1 },
      ],
      { logger: this.logger },
    );
    for (const sector of SECTORS) {
      const topic = this.config.shareTopics[sector];
      if (counts.get(topic) !== partitions) {
        throw new ConfigError(
          `${topic} has ${counts.get(topic)} partitions but ${this.config.masterTopic} has ${partitions}: per-citizen order needs the same count`,
        );
      }
    }
  }
}
