import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { LagMonitorService } from '../application/lag-monitor.service';
import { LAG_STATUSES, severityOf } from '../domain/lag-status';

const STATUS_HELP = LAG_STATUSES.map((s) => `${severityOf(s)}=${s}`).join(', ');

export interface LagMetrics {
  readonly contentType: string;
  /** The Prometheus text exposition of the monitor's current view. */
  render(): Promise<string>;
}

/**
 * A registry of its own (not prom-client's global one), filled from the monitor's latest
 * view at scrape time: labels of groups that disappeared go with them.
 */
export function createLagMetrics(monitor: LagMonitorService, withDefaults = true): LagMetrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'bus_ops_' });
  const partitionLabels = ['group', 'topic', 'partition'] as const;
  const groupLabels = ['group', 'sector'] as const;

  const lag = new Gauge({
    name: 'bus_consumergroup_lag',
    help: 'Lag in offsets: end offset minus committed offset',
    labelNames: partitionLabels,
    registers: [registry],
  });
  const lagSeconds = new Gauge({
    name: 'bus_consumergroup_lag_seconds',
    help: 'Lag in seconds: now minus the estimated produce time of the committed offset',
    labelNames: partitionLabels,
    registers: [registry],
  });
  const businessLag = new Gauge({
    name: 'bus_consumergroup_business_lag_seconds',
    help: 'Now minus occurredAt of the last applied event (0 when caught up), from ops.sync-progress',
    labelNames: partitionLabels,
    registers: [registry],
  });
  const partitionStatus = new Gauge({
    name: 'bus_consumergroup_partition_status',
    help: `Burrow status of a partition (${STATUS_HELP})`,
    labelNames: partitionLabels,
    registers: [registry],
  });
  const status = new Gauge({
    name: 'bus_consumergroup_status',
    help: `Burrow status of a group, its worst partition or threshold (${STATUS_HELP})`,
    labelNames: groupLabels,
    registers: [registry],
  });
  const totalLag = new Gauge({
    name: 'bus_consumergroup_total_lag',
    help: 'Lag in offsets summed over the group',
    labelNames: groupLabels,
    registers: [registry],
  });
  const maxLagSeconds = new Gauge({
    name: 'bus_consumergroup_max_lag_seconds',
    help: 'Largest lag in seconds of the group',
    labelNames: groupLabels,
    registers: [registry],
  });
  const toClear = new Gauge({
    name: 'bus_consumergroup_seconds_to_clear',
    help: 'Estimated seconds until the lag is 0 at the current trend (absent when it is not shrinking)',
    labelNames: groupLabels,
    registers: [registry],
  });
  const deadLetters = new Gauge({
    name: 'bus_deadletter_messages',
    help: 'Messages held in the dead-letter topic <group>.dlt',
    labelNames: groupLabels,
    registers: [registry],
  });
  const replayed = new Gauge({
    name: 'bus_deadletter_replayed',
    help: 'Dead letters of <group>.dlt replayed at least once',
    labelNames: groupLabels,
    registers: [registry],
  });
  const polls = new Gauge({
    name: 'bus_lag_monitor_polls',
    help: 'Successful polls of the broker since start',
    registers: [registry],
  });
  const pollErrors = new Gauge({
    name: 'bus_lag_monitor_poll_errors',
    help: 'Failed polls of the broker since start',
    registers: [registry],
  });

  // One collect fills every gauge from the same view, so a scrape is consistent.
  const fill = () => {
    for (const gauge of [lag, lagSeconds, businessLag, partitionStatus, status, totalLag])
      gauge.reset();
    for (const gauge of [maxLagSeconds, toClear, deadLetters, replayed]) gauge.reset();
    for (const g of monitor.groups()) {
      const labels = { group: g.group, sector: g.sector ?? '' };
      status.set(labels, severityOf(g.status));
      totalLag.set(labels, g.lag);
      maxLagSeconds.set(labels, g.lagSeconds);
      if (g.trend.secondsToClear !== null) toClear.set(labels, g.trend.secondsToClear);
      deadLetters.set(labels, g.deadLetters.total);
      replayed.set(labels, g.deadLetters.replayed);
      for (const p of g.partitions) {
        const pl = { group: g.group, topic: p.topic, partition: String(p.partition) };
        lag.set(pl, p.lag);
        lagSeconds.set(pl, p.lagSeconds);
        partitionStatus.set(pl, severityOf(p.status));
        if (p.businessLagSeconds !== null) businessLag.set(pl, p.businessLagSeconds);
      }
    }
    const health = monitor.monitorHealth();
    polls.set(health.polls);
    pollErrors.set(health.pollErrors);
  };
  return {
    contentType: registry.contentType,
    render: async () => {
      fill();
      return registry.metrics();
    },
  };
}
