import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Pool } from '@bus/platform';
import { outboxBacklog } from './outbox.repository';

/** Outbox and relay metrics; the backlog gauges are read from the database on each scrape. */
export class RelayMetrics {
  readonly published: Counter;
  readonly failures: Counter;
  readonly leader: Gauge;
  readonly batchSeconds: Histogram;
  readonly pruned: Counter;
  readonly deadLettered: Counter;
  /** (time ms, published) samples over the last minute, for the publish rate in /health. */
  private readonly window: { at: number; count: number }[] = [];

  constructor(registry: Registry, pool: Pool) {
    this.published = new Counter({
      name: 'population_outbox_published_total',
      help: 'Outbox rows published to the master topic and acknowledged by the broker',
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'population_outbox_relay_failures_total',
      help: 'Relay iterations that failed (broker, registry or database unavailable)',
      registers: [registry],
    });
    this.pruned = new Counter({
      name: 'population_outbox_pruned_total',
      help: 'Published outbox rows deleted after their retention (OUTBOX_RETAIN_HOURS)',
      registers: [registry],
    });
    this.deadLettered = new Counter({
      name: 'population_outbox_dead_lettered_total',
      help: 'Outbox rows the relay could not encode, written to its dead-letter topic instead',
      // A stable error code (dlt.reason), never the row's data.
      labelNames: ['reason'],
      registers: [registry],
    });
    this.leader = new Gauge({
      name: 'population_outbox_relay_leader',
      help: '1 when this process holds the relay leadership',
      registers: [registry],
    });
    this.batchSeconds = new Histogram({
      name: 'population_outbox_publish_batch_seconds',
      help: 'Time to send one batch and mark it published',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    new Gauge({
      name: 'population_outbox_pending_rows',
      help: 'Outbox rows not yet published',
      registers: [registry],
      async collect() {
        this.set((await outboxBacklog(pool)).pending);
      },
    });
    new Gauge({
      name: 'population_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest unpublished outbox row (0 when none)',
      registers: [registry],
      async collect() {
        this.set((await outboxBacklog(pool)).oldestPendingAgeSeconds);
      },
    });
  }

  recordBatch(rows: number, seconds: number): void {
    this.published.inc(rows);
    this.batchSeconds.observe(seconds);
    this.window.push({ at: Date.now(), count: rows });
  }

  /** Rows per second published over the last minute. */
  publishRatePerSecond(now = Date.now()): number {
    while (this.window.length > 0 && this.window[0]!.at < now - 60_000) this.window.shift();
    const total = this.window.reduce((sum, sample) => sum + sample.count, 0);
    return total / 60;
  }
}
