import type { Admin, Consumer, EachBatchPayload, Kafka, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import {
  type AvroSerializer,
  citizenChangedDeserializer,
  type CitizenChanged,
  type ProjectedCitizenChanged,
  project,
  startShareSerializer,
  deadLetterHeaders,
} from '@bus/contracts';
import { ConfigError, createKafka, describeError } from '@bus/platform';
import { backoffDelay, classifyFailure } from '@bus/sector-sync';
import type { ShareRouterConfig } from '../application/share-router.config';
import { routeToSectors, type SectorName } from '../domain/share-routing';
import { GroupCommit, type TopicMessages } from './group-commit';

/**
 * Master topic -> share topics, exactly once: the projected records, any dead letter and
 * the consumed offsets go into ONE Kafka transaction per batch (sendOffsets), and the
 * sector consumers read with isolation read_committed. An aborted batch leaves nothing
 * visible downstream and is fetched again.
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
  private readonly kafka: Kafka;
  private admin?: Admin;
  private consumer?: Consumer;
  private producer?: Producer;
  private serializers?: Record<SectorName, AvroSerializer<ProjectedCitizenChanged>>;
  private readonly deserializer;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly attempts = new Map<number, number>();
  private readonly commits: GroupCommit;
  private masterPartitions = 1;
  private running = false;

  constructor(
    private readonly config: ShareRouterConfig,
    private readonly logger: Logger,
  ) {
    this.kafka = createKafka({ brokers: config.brokers, clientId: config.transactionalId, logger });
    this.deserializer = citizenChangedDeserializer(config.registryUrl);
    this.commits = new GroupCommit(() => this.producer as Producer, config.groupId);
  }

  get isRunning(): boolean {
    return this.running;
  }

  private starting?: Promise<void>;

  /** Idempotent: the app's main awaits the same start the lifecycle hook began. */
  start(): Promise<void> {
    this.starting ??= this.bootWithRetries().catch((error: unknown) => {
      this.logger.fatal({ err: describeError(error) }, 'share router could not start');
      throw error;
    });
    return this.starting;
  }

  /** The broker or the registry not answering yet is waited for; a misconfiguration is not. */
  private async bootWithRetries(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.boot();
      } catch (error) {
        if (classifyFailure(error, 'BOOT_FAILED').kind !== 'transient') throw error;
        await this.consumer?.disconnect().catch(() => undefined);
        await this.producer?.disconnect().catch(() => undefined);
        await this.admin?.disconnect().catch(() => undefined);
        const delayMs = backoffDelay(attempt, { initialMs: 500, maxMs: 15_000 });
        this.logger.warn({ err: describeError(error), delayMs }, 'not ready; retrying the start');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async boot(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await this.ensureTopics(this.admin);
    const entries = await Promise.all(
      (Object.keys(this.config.shareTopics) as SectorName[]).map(
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
      SectorName,
      AvroSerializer<ProjectedCitizenChanged>
    >;
    this.producer = this.kafka.producer({
      transactionalId: this.config.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      // A transaction started while the coordinator still writes the previous one's markers
      // is answered CONCURRENT_TRANSACTIONS; the markers take milliseconds, so retry as
      // Java's client does (20 ms) rather than after the bus's default 200 ms.
      retry: { initialRetryTime: 20, retries: 10 },
    });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({
      groupId: this.config.groupId,
      readUncommitted: false,
      maxWaitTimeInMs: 1_000,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.config.masterTopic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Every partition of a fetch at once, so that their batches share one transaction.
      partitionsConsumedConcurrently: this.masterPartitions,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.running = true;
    this.logger.info(
      { masterTopic: this.config.masterTopic, shareTopics: this.config.shareTopics },
      'share router running',
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers) clearTimeout(timer);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const last = batch.messages.at(-1);
    if (!last || !payload.isRunning() || payload.isStale()) return;
    const endTimer = this.batchSeconds.startTimer();
    let committed = false;
    try {
      const out = await this.buildBatch(payload);
      await this.commits.submit({
        topicMessages: out,
        source: {
          topic: batch.topic,
          partition: batch.partition,
          offset: (BigInt(batch.lastOffset()) + 1n).toString(),
        },
      });
      committed = true;
      endTimer();
      this.attempts.delete(batch.partition);
      payload.resolveOffset(last.offset);
      for (const t of out) {
        const sector = this.sectorOf(t.topic);
        if (sector) this.routed.inc({ sector }, t.messages.length);
      }
    } catch (error) {
      if (!committed) return this.retryLater(payload, error);
    }
    await payload.heartbeat();
  }

  private async buildBatch(payload: EachBatchPayload): Promise<TopicMessages[]> {
    const { batch } = payload;
    const byTopic = new Map<string, Message[]>();
    const push = (topic: string, message: Message) => {
      const list = byTopic.get(topic) ?? [];
      list.push(message);
      byTopic.set(topic, list);
    };
    for (const message of batch.messages) {
      try {
        const event = await this.deserializer.deserialize(message.value);
        const routes = routeToSectors<CitizenChanged>(event, this.config.shareTopics, project);
        // Every projection is serialised before any is queued: a bad one fails the whole record.
        const encoded = routes.map((route) => ({
          topic: route.topic,
          value: (this.serializers as Record<SectorName, AvroSerializer<ProjectedCitizenChanged>>)[
            route.sector
          ].serialize(route.projected),
        }));
        for (const { topic, value } of encoded) {
          // Same partition as the master: per-citizen order holds end to end.
          push(topic, {
            key: message.key,
            value,
            partition: batch.partition,
            headers: message.headers,
          });
        }
      } catch (error) {
        const verdict = classifyFailure(error, 'ROUTE_FAILED');
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

  private retryLater(payload: EachBatchPayload, error: unknown): void {
    const partition = payload.batch.partition;
    const attempt = this.attempts.get(partition) ?? 0;
    this.attempts.set(partition, attempt + 1);
    const delayMs = backoffDelay(attempt, { initialMs: 250, maxMs: 15_000 });
    this.retries.inc();
    this.logger.warn(
      { err: describeError(error), partition, attempt: attempt + 1, delayMs },
      'batch aborted; partition paused until retry',
    );
    const resume = payload.pause();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.running) resume();
    }, delayMs);
    this.timers.add(timer);
  }

  private sectorOf(topic: string): SectorName | undefined {
    return (Object.keys(this.config.shareTopics) as SectorName[]).find(
      (s) => this.config.shareTopics[s] === topic,
    );
  }

  /** Share topics mirror the master: same partitions (so same order per key), compacted. */
  private async ensureTopics(admin: Admin): Promise<void> {
    // The national service creates the master topic; it may not be up yet.
    for (
      let attempt = 0;
      !(await admin.listTopics()).includes(this.config.masterTopic);
      attempt++
    ) {
      const delayMs = backoffDelay(attempt, { initialMs: 500, maxMs: 10_000 });
      this.logger.warn({ topic: this.config.masterTopic, delayMs }, 'waiting for the master topic');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    const metadata = await admin.fetchTopicMetadata({ topics: [this.config.masterTopic] });
    const partitions = metadata.topics[0]?.partitions.length ?? 0;
    if (partitions === 0) {
      throw new ConfigError(`Master topic ${this.config.masterTopic} has no partitions`);
    }
    this.masterPartitions = partitions;
    const existing = new Set(await admin.listTopics());
    const compacted = [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'min.compaction.lag.ms', value: String(7 * 24 * 3_600_000) },
    ];
    const wanted = [
      ...Object.values(this.config.shareTopics).map((topic) => ({
        topic,
        numPartitions: partitions,
        configEntries: compacted,
      })),
      { topic: this.config.deadLetterTopic, numPartitions: 1, configEntries: [] },
    ].filter((t) => !existing.has(t.topic));
    if (wanted.length > 0) {
      await admin.createTopics({ topics: wanted, waitForLeaders: true }).catch((e: unknown) => {
        this.logger.debug({ err: e }, 'share topic creation raced');
      });
    }
    const shares = await admin.fetchTopicMetadata({
      topics: Object.values(this.config.shareTopics),
    });
    for (const topic of shares.topics) {
      if (topic.partitions.length !== partitions) {
        throw new ConfigError(
          `${topic.name} has ${topic.partitions.length} partitions but ${this.config.masterTopic} has ${partitions}: per-citizen order needs the same count`,
        );
      }
    }
  }
}
