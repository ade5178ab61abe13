import { describeError, ErrorCode, type Logger, NotFoundError } from '@bus/platform';
import type { SyncProgress } from '@bus/contracts';
import { deadLetterTopicFor } from '@bus/contracts';
import type { GroupReport } from '../domain/lag-report';
import { LagTracker, type LagTrackerOptions } from '../domain/lag-tracker';
import type { GroupSelection, OffsetSource, ReplayLedger } from './ports';

export interface DeadLetterCount {
  readonly topic: string;
  /** Messages held in the dead-letter topic. */
  readonly total: number;
  /** Of those, replayed at least once. */
  readonly replayed: number;
}

export interface GroupView extends GroupReport {
  readonly sector: string | null;
  readonly deadLetters: DeadLetterCount;
}

export interface MonitorHealth {
  readonly polls: number;
  readonly lastPollAt: number | null;
  readonly lastError: string | null;
  readonly pollErrors: number;
}

export interface LagMonitorOptions extends LagTrackerOptions {
  readonly selection: GroupSelection;
  /** sector -> group */
  readonly sectors: Readonly<Record<string, string>>;
}

/** Polls the offset source into the tracker and answers questions about the groups. */
export class LagMonitorService {
  private readonly tracker: LagTracker;
  private readonly sectorByGroup: Map<string, string>;
  private deadLetters = new Map<string, DeadLetterCount>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private health: MonitorHealth = { polls: 0, lastPollAt: null, lastError: null, pollErrors: 0 };

  constructor(
    private readonly source: OffsetSource,
    private readonly ledger: ReplayLedger,
    private readonly options: LagMonitorOptions,
    private readonly logger?: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.tracker = new LagTracker(options);
    this.sectorByGroup = new Map(Object.entries(options.sectors).map(([s, g]) => [g, s]));
  }

  async pollOnce(): Promise<void> {
    try {
      const snapshot = await this.source.snapshot(this.options.selection);
      const topics = snapshot.groups.map((g) => deadLetterTopicFor(g.group));
      const [totals, replayed] = await Promise.all([
        this.source.countMessages(topics),
        this.ledger.replayedCounts(),
      ]);
      this.tracker.record(snapshot);
      this.deadLetters = new Map(
        topics.map((topic) => [
          topic,
          { topic, total: totals.get(topic) ?? 0, replayed: replayed.get(topic) ?? 0 },
        ]),
      );
      this.health = {
        ...this.health,
        polls: this.health.polls + 1,
        lastPollAt: snapshot.at,
        lastError: null,
      };
    } catch (error) {
      this.health = {
        ...this.health,
        pollErrors: this.health.pollErrors + 1,
        lastError: describeError(error),
      };
      this.logger?.warn({ err: error }, 'lag poll failed');
    }
  }

  /** Polls now and then every `intervalMs`, never overlapping two polls. */
  start(intervalMs: number): void {
    if (this.timer) return;
    const loop = async () => {
      this.running = this.pollOnce();
      await this.running;
      if (this.timer) this.timer = setTimeout(loop, intervalMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.running;
  }

  recordProgress(progress: SyncProgress): void {
    this.tracker.recordProgress(progress);
  }

  monitorHealth(): MonitorHealth {
    return this.health;
  }

  groups(): GroupView[] {
    const now = this.clock();
    return this.tracker.report(now).map((report) => this.view(report));
  }

  group(group: string): GroupView {
    const report = this.tracker.reportOf(group, this.clock());
    if (!report) {
      throw new NotFoundError(
        ErrorCode.GROUP_NOT_WATCHED,
        `Consumer group "${group}" is not watched`,
        {
          details: { group },
        },
      );
    }
    return this.view(report);
  }

  sectorOf(group: string): string | null {
    return this.sectorByGroup.get(group) ?? null;
  }

  private view(report: GroupReport): GroupView {
    const topic = deadLetterTopicFor(report.group);
    return {
      ...report,
      sector: this.sectorOf(report.group),
      deadLetters: this.deadLetters.get(topic) ?? { topic, total: 0, replayed: 0 },
    };
  }
}
