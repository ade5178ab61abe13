import { ErrorCode, NotFoundError, ValidationError } from '@bus/platform';
import {
  eventTrail,
  type DeadLetterFact,
  type EventTrail,
  type OutboxFact,
  type SectorGrantFact,
} from '../domain/event-trail';
import type { DeadLetterService } from './dead-letters.service';

/** The national database's outbox (read only). */
export interface OutboxReader {
  byEventId(eventId: string): Promise<OutboxFact[]>;
  /** The citizen's newest rows first. */
  byPersonalId(personalId: string, limit: number): Promise<OutboxFact[]>;
}

/** The delivery ledger (read only): when each recipient committed each event. */
export interface ReceiptReader {
  appliedAt(
    personalIds: readonly string[],
    eventIds: readonly string[],
  ): Promise<{ eventId: string; recipient: string; appliedAt: string }[]>;
}

/** Finds where the relay's records landed on the master topic. */
export interface MasterLocator {
  locate(
    events: readonly OutboxFact[],
  ): Promise<Map<string, { partition: number; offset: number }>>;
}

export interface EventTrailOptions {
  readonly masterTopic: string;
  /** sector -> consumer group (its dead letters are in `<group>.dlt`). */
  readonly sectors: Readonly<Record<string, string>>;
  readonly routerGroup: string;
  readonly grants: Readonly<Record<string, SectorGrantFact>>;
  /** The trace viewer's URL of a trace, without the trace id. */
  readonly traceUrl: string;
}

export interface EventTrailAnswer {
  readonly query: 'event' | 'citizen';
  readonly events: readonly EventTrail[];
}

const EVENT_ID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;
const PERSONAL_ID = /^\d{12}$/;
/** A citizen's newest events shown. */
const PER_CITIZEN = 10;

/**
 * "Where is this event?": for an event id, or a personal ID's latest events, the hops it
 * went through, from the facts each stage leaves: the outbox row (committed, published),
 * the master topic (partition, offset), the sharing policy (routed or withheld, and why),
 * the delivery receipts (applied in a sector, when) and the dead-letter topics.
 */
export class EventTrailService {
  constructor(
    private readonly outbox: OutboxReader,
    private readonly receipts: ReceiptReader,
    private readonly master: MasterLocator,
    private readonly deadLetters: DeadLetterService,
    private readonly options: EventTrailOptions,
  ) {}

  async find(id: string): Promise<EventTrailAnswer> {
    const query = EVENT_ID.test(id) ? 'event' : PERSONAL_ID.test(id) ? 'citizen' : undefined;
    if (query === undefined) {
      throw new ValidationError(ErrorCode.REQUEST_INVALID, 'Give an event id or a personal ID', {
        fields: [{ path: 'id', message: 'an event id (UUID) or a 12-digit personal ID' }],
      });
    }
    const rows =
      query === 'event'
        ? await this.outbox.byEventId(id)
        : await this.outbox.byPersonalId(id, PER_CITIZEN);
    if (rows.length === 0) {
      throw new NotFoundError(
        ErrorCode.EVENT_NOT_FOUND,
        query === 'event'
          ? 'No such event in the national outbox'
          : 'No event of this citizen in the national outbox',
      );
    }
    const eventIds = new Set(rows.map((r) => r.eventId));
    const [receipts, positions, letters] = await Promise.all([
      this.receipts.appliedAt([...new Set(rows.map((r) => r.personalId))], [...eventIds]),
      this.master.locate(rows.filter((r) => r.publishedAt !== null && r.deadLetterReason === null)),
      this.lettersOf(eventIds),
    ]);
    const events = rows.map((outbox) =>
      eventTrail(
        {
          outbox,
          masterTopic: this.options.masterTopic,
          position: positions.get(outbox.eventId),
          appliedAt: new Map(
            receipts
              .filter((r) => r.eventId === outbox.eventId)
              .map((r) => [r.recipient, r.appliedAt]),
          ),
          deadLetters: letters.filter((l) => l.eventId === outbox.eventId),
        },
        this.options.grants,
        this.options.traceUrl,
      ),
    );
    return { query, events };
  }

  /** The newest letters of the router's and each sector's dead-letter topic, for these events. */
  private async lettersOf(eventIds: ReadonlySet<string>): Promise<DeadLetterFact[]> {
    const targets: [string | null, string][] = [
      [null, this.options.routerGroup],
      ...Object.entries(this.options.sectors),
    ];
    const lists = await Promise.all(
      targets.map(async ([sector, group]) => ({
        sector,
        list: await this.deadLetters.list(group),
      })),
    );
    return lists.flatMap(({ sector, list }) =>
      list.letters.flatMap((letter) => {
        const data = 'data' in letter.payload ? letter.payload.data : undefined;
        const eventId = (data as { eventId?: unknown } | undefined)?.eventId;
        if (typeof eventId !== 'string' || !eventIds.has(eventId)) return [];
        return [
          { eventId, sector, reason: letter.reason, message: letter.message, at: letter.failedAt },
        ];
      }),
    );
  }
}
