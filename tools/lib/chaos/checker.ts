import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths.ts';
import { nationalDatabase, sectorDatabase, withDatabase } from './databases.ts';
import { SECTORS, type Sector } from './fleet.ts';

/**
 * The campaign's independent checker. It trusts no stage's metrics: what was committed comes
 * from the national database (the outbox rows, written in the command's transaction), what
 * each sector must receive from the sharing policy file and the sector's own follow-list, and
 * what each sector applied from the probe table that a trigger fills on every receipt the
 * sector writes in its apply transaction (databases.ts).
 */
export interface NationalEvent {
  readonly seq: number;
  readonly eventId: string;
  readonly personalId: string;
  readonly version: number;
  readonly eventType: string;
  readonly createdAt: Date;
}

export interface SectorTally {
  expected: number;
  applied: number;
  lost: number;
  twice: number;
  outOfOrder: number;
}

export interface WindowTally {
  readonly eventsIn: number;
  readonly sectors: Record<Sector, SectorTally>;
  readonly lost: number;
  readonly twice: number;
  readonly outOfOrder: number;
}

interface PolicyFile {
  sectors: Record<string, { eventTypes: string[]; delivery?: string }>;
}

export class Checker {
  private baselineSeq = 0;
  private readonly poison = new Set<string>();
  private readonly grants: Record<string, { types: Set<string>; followed: boolean }>;
  private followed = new Set<string>();

  constructor() {
    const policy = JSON.parse(
      readFileSync(join(ROOT, 'schemas/sharing-policy.json'), 'utf8'),
    ) as PolicyFile;
    this.grants = Object.fromEntries(
      SECTORS.map((s) => [
        s,
        {
          types: new Set(policy.sectors[s]?.eventTypes ?? []),
          followed: policy.sectors[s]?.delivery === 'followed',
        },
      ]),
    );
  }

  /** Changes committed from now on are the campaign's; earlier ones (the seed) are not counted. */
  async markBaseline(): Promise<void> {
    this.baselineSeq = await withDatabase(nationalDatabase(), async (client) => {
      const { rows } = await client.query<{ seq: string | null }>(
        'SELECT max(seq) AS seq FROM outbox',
      );
      return Number(rows[0]?.seq ?? 0);
    });
    await this.markFollows();
  }

  /** Who the followed sectors follow (fixed before the faults start). */
  async markFollows(): Promise<void> {
    for (const sector of SECTORS.filter((s) => this.grants[s]?.followed)) {
      await withDatabase(sectorDatabase(sector), async (client) => {
        const { rows } = await client.query<{ personal_id: string }>(
          'SELECT personal_id FROM sync_follows WHERE following',
        );
        this.followed = new Set(rows.map((r) => r.personal_id));
      });
    }
  }

  /** A poison row the campaign wrote itself: it must not reach any sector. */
  addPoison(eventId: string): void {
    this.poison.add(eventId);
  }

  routedTo(event: NationalEvent): Sector[] {
    return SECTORS.filter((sector) => {
      const grant = this.grants[sector]!;
      if (!grant.types.has(event.eventType)) return false;
      return !grant.followed || this.followed.has(event.personalId);
    });
  }

  async nationalEvents(): Promise<NationalEvent[]> {
    return withDatabase(nationalDatabase(), async (client) => {
      const { rows } = await client.query<{
        seq: string;
        event_id: string;
        aggregate_id: string;
        aggregate_version: string;
        event_type: string;
        created_at: Date;
      }>(
        `SELECT seq, event_id::text, aggregate_id, aggregate_version, event_type, created_at
           FROM outbox WHERE seq > $1 ORDER BY seq`,
        [this.baselineSeq],
      );
      return rows
        .filter((r) => !this.poison.has(r.event_id))
        .map((r) => ({
          seq: Number(r.seq),
          eventId: r.event_id,
          personalId: r.aggregate_id,
          version: Number(r.aggregate_version),
          eventType: r.event_type,
          createdAt: r.created_at,
        }));
    });
  }

  /** Every apply the sector committed, in commit order (the probe's sequence). */
  async applies(sector: Sector): Promise<{ eventId: string; personalId: string }[]> {
    return withDatabase(sectorDatabase(sector), async (client) => {
      const { rows } = await client.query<{ event_id: string; personal_id: string }>(
        'SELECT event_id, personal_id FROM chaos_applies ORDER BY seq',
      );
      return rows.map((r) => ({ eventId: r.event_id, personalId: r.personal_id }));
    });
  }

  async snapshot(): Promise<Snapshot> {
    const events = await this.nationalEvents();
    const applies = {} as Record<Sector, { eventId: string; personalId: string }[]>;
    for (const sector of SECTORS) applies[sector] = await this.applies(sector);
    return new Snapshot(events, applies, (e) => this.routedTo(e));
  }
}

/** One reading of the national outbox and of every sector's applies, and what follows from it. */
export class Snapshot {
  private readonly counts: Record<Sector, Map<string, number>>;
  readonly events: readonly NationalEvent[];
  private readonly applies: Record<Sector, { eventId: string; personalId: string }[]>;
  private readonly routedTo: (event: NationalEvent) => Sector[];

  constructor(
    events: readonly NationalEvent[],
    applies: Record<Sector, { eventId: string; personalId: string }[]>,
    routedTo: (event: NationalEvent) => Sector[],
  ) {
    this.events = events;
    this.applies = applies;
    this.routedTo = routedTo;
    this.counts = {} as Record<Sector, Map<string, number>>;
    for (const sector of SECTORS) {
      const counts = new Map<string, number>();
      for (const { eventId } of applies[sector])
        counts.set(eventId, (counts.get(eventId) ?? 0) + 1);
      this.counts[sector] = counts;
    }
  }

  /** Changes committed up to `cutoff` that some sector still has not applied. */
  missingUpTo(cutoff: Date): Record<Sector, number> {
    const missing = Object.fromEntries(SECTORS.map((s) => [s, 0])) as Record<Sector, number>;
    for (const event of this.events) {
      if (event.createdAt > cutoff) break;
      for (const sector of this.routedTo(event))
        if (!this.counts[sector].has(event.eventId)) missing[sector]++;
    }
    return missing;
  }

  /**
   * The invariants over the changes committed in [from, to): applied once in every sector the
   * policy routes them to, none lost, none twice, and per citizen in version order (an apply
   * counts as out of order when an earlier version routed to that sector was not applied
   * before it).
   */
  tally(from: Date, to: Date): WindowTally {
    const inWindow = this.events.filter((e) => e.createdAt >= from && e.createdAt < to);
    const sectors = {} as Record<Sector, SectorTally>;
    for (const sector of SECTORS) {
      const tally: SectorTally = { expected: 0, applied: 0, lost: 0, twice: 0, outOfOrder: 0 };
      const counts = this.counts[sector];
      for (const event of inWindow) {
        if (!this.routedTo(event).includes(sector)) continue;
        tally.expected++;
        const count = counts.get(event.eventId) ?? 0;
        if (count === 0) tally.lost++;
        else tally.applied++;
        if (count > 1) tally.twice++;
      }
      tally.outOfOrder = this.outOfOrder(sector, new Set(inWindow.map((e) => e.eventId)));
      sectors[sector] = tally;
    }
    const sum = (key: keyof SectorTally) =>
      SECTORS.reduce((total, sector) => total + sectors[sector][key], 0);
    return {
      eventsIn: inWindow.length,
      sectors,
      lost: sum('lost'),
      twice: sum('twice'),
      outOfOrder: sum('outOfOrder'),
    };
  }

  /** Applies of events the policy does not route to the sector (or not in the outbox at all). */
  unexpected(sector: Sector): number {
    const known = new Map(this.events.map((e) => [e.eventId, e]));
    let count = 0;
    for (const [eventId] of this.counts[sector]) {
      const event = known.get(eventId);
      if (event && !this.routedTo(event).includes(sector)) count++;
    }
    return count;
  }

  private outOfOrder(sector: Sector, window: Set<string>): number {
    const byId = new Map(this.events.map((e) => [e.eventId, e]));
    const expectedVersions = new Map<string, number[]>();
    for (const event of this.events) {
      if (!this.routedTo(event).includes(sector)) continue;
      const list = expectedVersions.get(event.personalId) ?? [];
      list.push(event.version);
      expectedVersions.set(event.personalId, list);
    }
    const appliedSoFar = new Map<string, Set<number>>();
    let violations = 0;
    for (const { eventId } of this.applies[sector]) {
      const event = byId.get(eventId);
      if (!event) continue; // the seed, before the campaign's baseline
      const done = appliedSoFar.get(event.personalId) ?? new Set<number>();
      const earlier = (expectedVersions.get(event.personalId) ?? []).filter(
        (v) => v < event.version,
      );
      if (window.has(eventId) && !done.has(event.version) && earlier.some((v) => !done.has(v)))
        violations++;
      done.add(event.version);
      appliedSoFar.set(event.personalId, done);
    }
    return violations;
  }
}
