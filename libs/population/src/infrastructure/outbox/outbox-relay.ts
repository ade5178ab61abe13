import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka, Producer } from 'kafkajs';
import { SpanKind } from '@opentelemetry/api';
import type pg from 'pg';
import {
  backoffDelay,
  describeError,
  isKafkaAuthenticationFailure,
  prunePublished,
  startEventSpans,
  TRACEPARENT,
  type Logger,
} from '@bus/platform';
import { OUTBOX_CHANNEL } from '../persistence/pg-population.store';
import { Murmur2Partitioner } from './murmur2.partitioner';
import type { RelayMetrics } from './relay.metrics';
import { encodeBatch, type PayloadSerializer } from './outbox-batch';
import { openRelayClient, tryLeadRelay } from './relay-client';

export { RELAY_LEADER_LOCK } from './relay-client';
import { fetchPending, markPublished, type DeadLetteredRow } from './outbox.repository';

export interface OutboxRelayOptions {
  readonly databaseUrl: string;
  readonly kafka: Kafka;
  readonly topic: string;
  /** Where rows that cannot be encoded go, with their reason, instead of blocking the outbox. */
  readonly deadLetterTopic: string;
  /**
   * Registers the schema (and creates the topic) on first use, in the loop: a relay that
   * starts while the registry or broker is down keeps retrying instead of failing the boot.
   */
  readonly prepare: () => Promise<PayloadSerializer>;
  readonly logger: Logger;
  readonly metrics?: RelayMetrics;
  /** Rows per producer.send: many messages per request is what makes kafkajs fast. */
  readonly batchSize?: number;
  /** The safety poll beside LISTEN/NOTIFY (a lost notification costs at most this). */
  readonly pollIntervalMs?: number;
  /** How often a standby relay tries to become the leader. */
  readonly leaderRetryMs?: number;
  readonly maxBackoffMs?: number;
  /**
   * Called once when the broker refuses the relay's credentials: a setting to fix, not an
   * outage to wait out, so the relay stops instead of retrying (the app exits non-zero).
   */
  readonly onFatal?: (error: unknown) => void;
  /**
   * Retention of published rows: at most `batchSize` rows per statement and one statement
   * per `intervalMs`, on the leader's connection beside the send (never between a send and
   * its mark). Absent or 0 seconds: rows are kept.
   */
  readonly prune?: {
    readonly retainPublishedSeconds: number;
    readonly batchSize: number;
    readonly intervalMs: number;
  };
}

export interface RelayStatus {
  readonly leader: boolean;
  readonly lastError: string | null;
  readonly lastPublishedAt: Date | null;
}

/**
 * Publishes outbox rows to the master topic in `seq` order.
 *
 * Per-citizen order with several relays: one relay at a time is the leader, elected by a
 * PostgreSQL session advisory lock held on the relay's own connection. The leader reads
 * every pending row in `seq` order (a citizen's rows are in commit order because each
 * change holds the citizen's row lock until it commits), sends them in one idempotent,
 * acks=all request per batch and marks them published only after the acknowledgement.
 * If the leader dies its session ends, the lock is freed, and a standby takes over from
 * the first unpublished row: the only duplicates are re-sends of the same eventIds.
 */
export class OutboxRelay {
  private client: pg.Client | undefined;
  private marker: pg.Client | undefined;
  private producer: Producer | undefined;
  private serializer: PayloadSerializer | undefined;
  private leader = false;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private woken = false;
  private lastError: string | null = null;
  private lastPublishedAt: Date | null = null;
  private lastPruneAt = 0;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly leaderRetryMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 2_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.leaderRetryMs = options.leaderRetryMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.nudge();
    await this.loop;
    await this.release();
  }

  status(): RelayStatus {
    return {
      leader: this.leader,
      lastError: this.lastError,
      lastPublishedAt: this.lastPublishedAt,
    };
  }

  /** Wakes the loop now (a NOTIFY arrived, or stop was asked). */
  nudge(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        const client = await this.connection();
        if (!this.leader) {
          // A standby is ready to publish before it competes: taking over (or starting on
          // a backlog) then costs no topic check, registration or producer handshake.
          await this.prepared();
          this.leader = await tryLeadRelay(client);
          this.options.metrics?.leader.set(this.leader ? 1 : 0);
          if (!this.leader) {
            await this.idle(this.leaderRetryMs);
            continue;
          }
          this.options.logger.info('outbox relay is the leader');
        }
        const published = await this.drain(client);
        attempt = 0;
        if (published === 0) {
          await this.pruneDue(client);
          await this.idle(this.pollIntervalMs);
        }
      } catch (error) {
        this.lastError = describeError(error);
        this.options.metrics?.failures.inc();
        if (isKafkaAuthenticationFailure(error)) {
          this.options.logger.fatal({ err: this.lastError }, 'outbox relay stopped');
          this.stopped = true;
          await this.release();
          this.options.onFatal?.(error);
          return;
        }
        // The bus's one backoff: jittered, so relays that lost the broker together spread out.
        const backoffMs = backoffDelay(attempt++, { initialMs: 100, maxMs: this.maxBackoffMs });
        this.options.logger.warn(
          { err: this.lastError, backoffMs },
          'outbox relay failed; retrying',
        );
        await this.release();
        await this.idle(backoffMs);
      }
    }
  }

  /**
   * Publishes batches until the outbox is empty; returns how many rows went out. While the
   * broker acknowledges batch n, the leader connection reads batch n+1 and a second
   * connection marks batch n-1 published (an UPDATE of 2,000 rows costs as much as the
   * send, so it must not sit between two sends). The read excludes the rows in flight and
   * those not yet marked, rather than starting after the last seq: a lower seq that
   * commits late (another citizen's, or an older change of a citizen in flight) must still
   * go first for its citizen. A batch is marked only after its acknowledgement; if the
   * relay dies first, the next leader re-sends it (the same eventIds).
   */
  private async drain(client: pg.Client): Promise<number> {
    let total = 0;
    this.woken = false;
    const { preEncoded } = (await this.prepared()).serializer;
    let rows = await fetchPending(client, this.batchSize, [], preEncoded);
    let marking: Promise<void> = Promise.resolve();
    let unmarked: string[] = [];
    while (!this.stopped && rows.length > 0) {
      const t0 = performance.now();
      const { serializer, producer, marker } = await this.prepared();
      // One publish span per row, continuing the command's trace; the record carries it on.
      const spans = startEventSpans(
        rows.map((row) => (row.traceparent ? { [TRACEPARENT]: row.traceparent } : undefined)),
        {
          operation: 'send',
          destination: this.options.topic,
          kind: SpanKind.PRODUCER,
          eventAttributes: (i) => ({ 'messaging.message.id': rows[i]?.eventId ?? '' }),
        },
      );
      const { messages, letters } = encodeBatch(rows, serializer, spans);
      const seqs = rows.map((row) => row.seq);
      const t1 = performance.now();
      const sent =
        letters.length === 0
          ? producer.send({ topic: this.options.topic, acks: -1, messages })
          : // The letters in the same request: acknowledged together, then marked together.
            producer.sendBatch({
              acks: -1,
              topicMessages: [
                { topic: this.options.topic, messages },
                { topic: this.options.deadLetterTopic, messages: letters.map((l) => l.message) },
              ],
            });
      const [, next] = await Promise.all([
        sent.then(
          () => spans.end(),
          (error: unknown) => {
            spans.end(error);
            throw error;
          },
        ),
        // The prefetch, then (when due) one prune statement, while the broker acknowledges.
        (rows.length === this.batchSize
          ? fetchPending(client, this.batchSize, [...unmarked, ...seqs], preEncoded)
          : Promise.resolve([])
        ).then(async (fetched) => {
          await this.pruneDue(client);
          return fetched;
        }),
      ]);
      const t2 = performance.now();
      // At most one mark in flight: it bounds the rows a successor would re-send.
      await marking;
      const t3 = performance.now();
      marking = this.mark(marker, seqs, letters);
      unmarked = seqs;
      this.reportLetters(letters);
      this.options.metrics?.recordBatch(messages.length, (t3 - t0) / 1000);
      this.options.logger.debug(
        {
          rows: rows.length,
          encodeMs: t1 - t0,
          sendAndPrefetchMs: t2 - t1,
          previousMarkWaitMs: t3 - t2,
        },
        'outbox batch published',
      );
      this.lastError = null;
      total += rows.length;
      rows = next;
    }
    await marking;
    return total;
  }

  /** One prune statement when retention is on and the last one is `intervalMs` old. */
  private async pruneDue(client: pg.Client): Promise<void> {
    const prune = this.options.prune;
    if (!prune || prune.retainPublishedSeconds <= 0) return;
    if (Date.now() - this.lastPruneAt < prune.intervalMs) return;
    this.lastPruneAt = Date.now();
    const deleted = await prunePublished(
      client,
      'outbox',
      prune.retainPublishedSeconds,
      prune.batchSize,
    );
    if (deleted > 0) this.options.metrics?.pruned.inc(deleted);
  }

  private async prepared(): Promise<{
    serializer: PayloadSerializer;
    producer: Producer;
    marker: pg.Client;
  }> {
    this.serializer ??= await this.options.prepare();
    return {
      serializer: this.serializer,
      producer: await this.connectedProducer(),
      marker: await this.markerConnection(),
    };
  }

  /** Counted and logged by seq and reason only: the payload is personal data. */
  private reportLetters(letters: readonly DeadLetteredRow[]): void {
    for (const { seq, reason } of letters) {
      this.options.metrics?.deadLettered.inc({ reason });
      this.options.logger.warn(
        { seq, reason, deadLetterTopic: this.options.deadLetterTopic },
        'outbox row dead-lettered',
      );
    }
  }

  private mark(
    marker: pg.Client,
    seqs: readonly string[],
    letters: readonly DeadLetteredRow[],
  ): Promise<void> {
    const marked = markPublished(marker, seqs, letters).then(() => {
      this.lastPublishedAt = new Date();
    });
    // Awaited by the loop before the next mark; this only keeps a failure that lands while
    // the loop awaits the send from counting as unhandled (the loop still sees it).
    marked.catch(() => undefined);
    return marked;
  }

  private async connection(): Promise<pg.Client> {
    if (this.client !== undefined) return this.client;
    // A lost connection also loses the leadership: forget both and start over.
    const client = await openRelayClient(
      this.options.databaseUrl,
      this.options.logger,
      'database',
      (lost) => {
        if (this.client === lost) {
          this.client = undefined;
          this.leader = false;
          this.options.metrics?.leader.set(0);
        }
        this.nudge();
      },
    );
    client.on('notification', () => this.nudge());
    // This connection only runs the relay's own statements. Right after a burst (a relay
    // outage, an initial load) the statistics still say the outbox holds few pending rows,
    // and the planner then reads the whole backlog and sorts it on disk (170 ms per batch
    // of 2,000 with 40,000 pending) instead of walking the partial index in seq order
    // (2 ms). None of these statements needs a sort, so forbid it.
    await client.query('SET enable_sort = off');
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.client = client;
    return client;
  }

  /** The second connection, for marking batches published while the leader one reads. */
  private async markerConnection(): Promise<pg.Client> {
    this.marker ??= await openRelayClient(
      this.options.databaseUrl,
      this.options.logger,
      'marking',
      (lost) => {
        if (this.marker === lost) this.marker = undefined;
        this.nudge();
      },
    );
    return this.marker;
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer !== undefined) return this.producer;
    const producer = this.options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 on the key, as Java clients do: a citizen lands on the same partition
      // whichever client writes it.
      createPartitioner: Murmur2Partitioner,
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  /** Drops the connection (and with it the leadership) and the producer after a failure. */
  private async release(): Promise<void> {
    const { client, marker, producer } = this;
    this.client = undefined;
    this.marker = undefined;
    this.producer = undefined;
    if (this.leader) this.options.logger.info('outbox relay released the leadership');
    this.leader = false;
    this.options.metrics?.leader.set(0);
    // A producer that failed mid-sequence is replaced: a fresh producer id starts a clean sequence.
    await producer?.disconnect().catch(() => undefined);
    await marker?.end().catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private async idle(ms: number): Promise<void> {
    if (this.stopped || this.woken) {
      this.woken = false;
      return;
    }
    const abort = new AbortController();
    this.wake = () => abort.abort();
    await sleep(ms, undefined, { signal: abort.signal }).catch(() => undefined);
    this.wake = undefined;
    this.woken = false;
  }
}
