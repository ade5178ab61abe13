import { SECTORS, type Sector } from '@bus/contracts';
import { createKafka } from '@bus/platform';
import pg from 'pg';
import type { PipelineNames } from './pipeline';
import type { BenchContext } from './run-context';
import { percentile } from './run-context';

/** Wall-clock ms with sub-ms resolution, comparable with Kafka's record timestamps. */
export const wallNow = () => performance.timeOrigin + performance.now();

const COMMITTED = 'bench_committed';
const APPLIED = 'bench_applied';

/**
 * When each change committed, on the national side and in each sector, to the millisecond.
 * PostgreSQL delivers a NOTIFY at its transaction's commit, so a row trigger that notifies
 * the event's id, heard by a listener here, stamps the commit (not the start of the
 * transaction, which is what `sync_versions.applied_at` holds). Installed for the latency
 * phase only, in this run's databases only; it adds one notification per row to the
 * transactions it watches (measured: see docs/benchmarks.md).
 */
export class CommitProbe {
  /** event id -> wall ms of the national commit. */
  readonly committed = new Map<string, { at: number; key: string }>();
  /** sector -> event id -> wall ms of the sector commit. */
  readonly applied = Object.fromEntries(
    SECTORS.map((s) => [s, new Map<string, number>()]),
  ) as Record<Sector, Map<string, number>>;
  private readonly clients: pg.Client[] = [];

  constructor(
    private readonly context: BenchContext,
    private readonly names: PipelineNames,
  ) {}

  private async listen(
    database: string,
    ddl: string,
    channel: string,
    onPayload: (p: string) => void,
  ) {
    const client = new pg.Client({ connectionString: this.context.databaseUrl(database) });
    await client.connect();
    await client.query(ddl);
    client.on('notification', (n) => {
      if (n.channel === channel && n.payload) onPayload(n.payload);
    });
    await client.query(`LISTEN ${channel}`);
    this.clients.push(client);
  }

  async install(): Promise<void> {
    await this.listen(
      this.names.populationDatabase,
      `CREATE OR REPLACE FUNCTION bench_committed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_notify('${COMMITTED}', NEW.event_id::text || ' ' || NEW.aggregate_id); RETURN NULL; END $$;
       DROP TRIGGER IF EXISTS bench_committed ON outbox;
       CREATE TRIGGER bench_committed AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION bench_committed();`,
      COMMITTED,
      (payload) => {
        const [eventId, key] = payload.split(' ');
        if (eventId && key) this.committed.set(eventId, { at: wallNow(), key });
      },
    );
    for (const sector of SECTORS) {
      await this.listen(
        this.names.sectorDatabase(sector),
        `CREATE OR REPLACE FUNCTION bench_applied() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN PERFORM pg_notify('${APPLIED}', NEW.event_id); RETURN NULL; END $$;
         DROP TRIGGER IF EXISTS bench_applied ON sync_versions;
         CREATE TRIGGER bench_applied AFTER INSERT OR UPDATE ON sync_versions FOR EACH ROW EXECUTE FUNCTION bench_applied();`,
        APPLIED,
        (eventId) => {
          if (!this.applied[sector].has(eventId)) this.applied[sector].set(eventId, wallNow());
        },
      );
    }
  }

  /** Drops the triggers and the listeners. */
  async end(): Promise<void> {
    for (const client of this.clients) {
      await client
        .query(
          'DROP TRIGGER IF EXISTS bench_committed ON outbox; DROP TRIGGER IF EXISTS bench_applied ON sync_versions',
        )
        .catch(() => client.query('DROP TRIGGER IF EXISTS bench_applied ON sync_versions'))
        .catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * Per key, the timestamp (CreateTime: set by the producer when it sent the record) of the
 * last record at or after `since` on each topic, read from the beginning with a group of
 * the run's own.
 */
export async function recordTimes(
  context: BenchContext,
  names: PipelineNames,
  topics: readonly string[],
  since: number,
): Promise<Map<string, Map<string, number>>> {
  const kafka = createKafka({ brokers: context.brokers, clientId: 'bench-latency-probe' });
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, number>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (Number(p.high) > Number(p.low))
        remaining.set(`${topic}/${p.partition}`, Number(p.high) - 1);
    }
  }
  await admin.disconnect();
  const result = new Map(topics.map((t) => [t, new Map<string, number>()]));
  if (remaining.size === 0) return result;
  const consumer = kafka.consumer({ groupId: `${names.prefix}latency-probe` });
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('latency probe: topics not read in 120 s')),
      120_000,
    );
    void consumer.run({
      eachBatch: async ({ batch }) => {
        const times = result.get(batch.topic)!;
        for (const message of batch.messages) {
          const at = Number(message.timestamp);
          if (at >= since && message.key) times.set(message.key.toString(), at);
        }
        const id = `${batch.topic}/${batch.partition}`;
        const last = remaining.get(id);
        if (last !== undefined && Number(batch.lastOffset()) >= last) remaining.delete(id);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return result;
}

const stats = (values: number[]) => {
  values.sort((a, b) => a - b);
  const r = (n: number | null) => (n === null ? null : Math.round(n));
  return {
    samples: values.length,
    p50Ms: r(percentile(values, 50)),
    p95Ms: r(percentile(values, 95)),
    p99Ms: r(percentile(values, 99)),
    maxMs: r(values.at(-1) ?? null),
  };
};

/**
 * Latency of each (change, sector) pair from the national commit to the sector's commit, and
 * per hop: national commit -> master record (relay's send) -> share record (router's
 * transaction) -> sector commit. One change per citizen in the phase, so keys identify them.
 */
export function latencyBreakdown(
  probe: CommitProbe,
  master: Map<string, number>,
  shares: Record<Sector, Map<string, number>>,
  requestDueAt: Map<string, number>,
) {
  const total: number[] = [];
  const fromRequest: number[] = [];
  const toMaster: number[] = [];
  const toShare: number[] = [];
  const toSector: number[] = [];
  const perSector: Record<string, ReturnType<typeof stats>> = {};
  for (const { at: committedAt, key } of probe.committed.values()) {
    const masterAt = master.get(key);
    if (masterAt !== undefined) toMaster.push(masterAt - committedAt);
  }
  for (const sector of SECTORS) {
    const sectorMs: number[] = [];
    for (const [eventId, appliedAt] of probe.applied[sector]) {
      const national = probe.committed.get(eventId);
      if (national === undefined) continue;
      sectorMs.push(appliedAt - national.at);
      total.push(appliedAt - national.at);
      const due = requestDueAt.get(national.key);
      if (due !== undefined) fromRequest.push(appliedAt - due);
      const masterAt = master.get(national.key);
      const shareAt = shares[sector].get(national.key);
      if (masterAt !== undefined && shareAt !== undefined) toShare.push(shareAt - masterAt);
      if (shareAt !== undefined) toSector.push(appliedAt - shareAt);
    }
    perSector[sector] = stats(sectorMs);
  }
  return {
    commitToSectorCommit: stats(total),
    requestDueToSectorCommit: stats(fromRequest),
    perSector,
    hops: {
      commitToMasterRecord: stats(toMaster),
      masterRecordToShareRecord: stats(toShare),
      shareRecordToSectorCommit: stats(toSector),
    },
    note: 'commits stamped by NOTIFY from a bench-only row trigger (delivered at commit); record times are Kafka CreateTime set by the producing process; all clocks are this machine',
  };
}
