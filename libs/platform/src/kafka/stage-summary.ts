import type { Logger } from '../logging/logger';

/**
 * A stage's info line every interval instead of one per batch: records handled, their rate,
 * the lag left (records behind the partitions' ends, at their last batch) and failed
 * attempts. An idle interval logs nothing.
 */
export class StageSummary {
  private records = 0;
  private failures = 0;
  private since = Date.now();
  private readonly lag = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer !== undefined || this.intervalMs <= 0) return;
    this.since = Date.now();
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Logs what is left since the last line and stops. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }

  batch(partitionKey: string, records: number, lag: number): void {
    this.records += records;
    this.lag.set(partitionKey, Number.isFinite(lag) ? Math.max(0, lag) : 0);
  }

  failure(): void {
    this.failures += 1;
  }

  private flush(): void {
    const seconds = (Date.now() - this.since) / 1000;
    if (this.records + this.failures > 0) {
      let lag = 0;
      for (const value of this.lag.values()) lag += value;
      this.logger.info(
        {
          records: this.records,
          perSecond: seconds > 0 ? Math.round((this.records / seconds) * 10) / 10 : 0,
          lag,
          failedAttempts: this.failures,
          seconds: Math.round(seconds),
        },
        'stage summary',
      );
    }
    this.records = 0;
    this.failures = 0;
    this.since = Date.now();
  }
}
