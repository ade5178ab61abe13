import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One registry per module instance (not prom-client's global one), so two sector
 * modules in one process, or in one test run, never collide.
 */
export class SyncMetrics {
  readonly registry = new Registry();
  readonly applied: Counter<'group' | 'topic'>;
  readonly skipped: Counter<'group' | 'topic'>;
  readonly deadLettered: Counter<'group' | 'topic' | 'reason'>;
  readonly transientFailures: Counter<'group' | 'topic'>;
  readonly batchDuration: Histogram<'group' | 'topic'>;
  readonly lastOccurredAt: Gauge<'group' | 'topic' | 'partition'>;
  readonly pausedPartitions: Gauge<'group'>;

  constructor(readonly group: string) {
    const registers = [this.registry];
    this.applied = new Counter({
      name: 'sector_sync_events_applied_total',
      help: 'Events applied to the sector database',
      labelNames: ['group', 'topic'],
      registers,
    });
    this.skipped = new Counter({
      name: 'sector_sync_events_skipped_total',
      help: 'Duplicate or stale events skipped (version not newer than stored)',
      labelNames: ['group', 'topic'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'sector_sync_events_dead_lettered_total',
      help: 'Poison records sent to the dead-letter topic',
      labelNames: ['group', 'topic', 'reason'],
      registers,
    });
    this.transientFailures = new Counter({
      name: 'sector_sync_transient_failures_total',
      help: 'Batches rolled back and retried after a transient failure',
      labelNames: ['group', 'topic'],
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'sector_sync_batch_duration_seconds',
      help: 'Time to apply and commit one batch',
      labelNames: ['group', 'topic'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.lastOccurredAt = new Gauge({
      name: 'sector_sync_last_applied_occurred_at_seconds',
      help: 'Business time (occurredAt) of the last applied event, as a Unix timestamp',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.pausedPartitions = new Gauge({
      name: 'sector_sync_paused_partitions',
      help: 'Partitions paused while a transient failure is retried',
      labelNames: ['group'],
      registers,
    });
    collectDefaultMetrics({ register: this.registry, labels: { group } });
  }
}
