import { RELAY_DEAD_LETTER_TOPIC } from '@bus/contracts/pure';
import { maskPersonalId } from '@bus/platform/pure';

/** One outbox row as the national database holds it: the event's first two hops. */
export interface OutboxFact {
  readonly eventId: string;
  readonly personalId: string;
  readonly version: number;
  readonly eventType: string;
  readonly occurredAt: string;
  /** When the command's transaction wrote the row. */
  readonly committedAt: string;
  /** When the broker acknowledged it; null while it waits in the outbox. */
  readonly publishedAt: string | null;
  /**
   * Set when the relay could not encode the row and put it on its dead-letter topic instead
   * (then `publishedAt` is when that letter was acknowledged): no sector gets it.
   */
  readonly deadLetterReason: string | null;
  readonly traceparent: string | null;
}

/** What a sector may receive (from the sharing policy). */
export interface SectorGrantFact {
  readonly name: string;
  readonly purpose: string;
  readonly eventTypes: ReadonlySet<string>;
}

export interface DeadLetterFact {
  readonly eventId: string;
  /** The sector whose apply refused it, or null for the router. */
  readonly sector: string | null;
  readonly reason: string;
  readonly message: string;
  readonly at: string | null;
}

type Hop =
  | { readonly sector: string; readonly state: 'applied'; readonly at: string }
  | { readonly sector: string; readonly state: 'withheld'; readonly reason: string }
  | {
      readonly sector: string;
      readonly state: 'dead-lettered';
      readonly at: string | null;
      readonly reason: string;
      readonly message: string;
    }
  | { readonly sector: string; readonly state: 'waiting' };

/** A sector's hop, with one line saying it (the CLI and the page print `detail` as is). */
export type SectorHop = Hop & { readonly detail: string };

function detailOf(h: Hop): string {
  switch (h.state) {
    case 'applied':
      return `applied ${h.at}`;
    case 'withheld':
      return `withheld: ${h.reason}`;
    case 'dead-lettered':
      return `dead-lettered${h.at ? ` ${h.at}` : ''}: ${h.reason} (${h.message})`;
    default:
      return 'waiting (not applied yet)';
  }
}

export interface EventTrail {
  readonly eventId: string;
  /** Masked, as everywhere in the console. */
  readonly personalId: string;
  readonly version: number;
  readonly eventType: string;
  readonly committed: { readonly at: string; readonly occurredAt: string };
  readonly published: {
    readonly at: string;
    readonly topic: string;
    /** Null when the record was not found near its publish time (compacted, or read past). */
    readonly partition: number | null;
    readonly offset: number | null;
  } | null;
  /** Set when the outbox relay dead-lettered the row: it never reached the master topic. */
  readonly relay: { readonly reason: string; readonly message: string } | null;
  /** Set when the share router dead-lettered the master record: no sector gets it. */
  readonly router: { readonly reason: string; readonly message: string } | null;
  readonly sectors: readonly SectorHop[];
  readonly trace: { readonly traceId: string; readonly url: string } | null;
}

export interface TrailFacts {
  readonly outbox: OutboxFact;
  readonly masterTopic: string;
  readonly position: { readonly partition: number; readonly offset: number } | undefined;
  /** Sector -> when its apply committed (from the delivery receipts). */
  readonly appliedAt: ReadonlyMap<string, string>;
  readonly deadLetters: readonly DeadLetterFact[];
}

const RELAY_LETTER = `the outbox relay could not encode the row; the letter is on ${RELAY_DEAD_LETTER_TOPIC}`;

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** The hops of one event, from the facts each stage left behind. */
export function eventTrail(
  facts: TrailFacts,
  grants: Readonly<Record<string, SectorGrantFact>>,
  traceUrl: string,
): EventTrail {
  const { outbox } = facts;
  const relayLetter = outbox.deadLetterReason
    ? { reason: outbox.deadLetterReason, message: RELAY_LETTER, at: outbox.publishedAt }
    : undefined;
  const routerLetter = facts.deadLetters.find((d) => d.sector === null);
  const hops = Object.entries(grants).map(([sector, grant]): Hop => {
    if (!grant.eventTypes.has(outbox.eventType)) {
      return {
        sector,
        state: 'withheld',
        reason: `${outbox.eventType} is not shared with ${grant.name} (purpose: ${grant.purpose})`,
      };
    }
    const applied = facts.appliedAt.get(sector);
    if (applied !== undefined) return { sector, state: 'applied', at: applied };
    // A row the relay or a record the router dead-lettered reaches no sector: each one shows why.
    const letter =
      relayLetter ?? facts.deadLetters.find((d) => d.sector === sector) ?? routerLetter;
    if (letter) {
      const { reason, message, at } = letter;
      return { sector, state: 'dead-lettered', at, reason, message };
    }
    return { sector, state: 'waiting' };
  });
  const sectors = hops.map((h): SectorHop => ({ ...h, detail: detailOf(h) }));
  const traceId = TRACEPARENT.exec(outbox.traceparent ?? '')?.[1];
  return {
    eventId: outbox.eventId,
    personalId: maskPersonalId(outbox.personalId),
    version: outbox.version,
    eventType: outbox.eventType,
    committed: { at: outbox.committedAt, occurredAt: outbox.occurredAt },
    published:
      outbox.publishedAt === null || relayLetter
        ? null
        : {
            at: outbox.publishedAt,
            topic: facts.masterTopic,
            partition: facts.position?.partition ?? null,
            offset: facts.position?.offset ?? null,
          },
    relay: relayLetter ? { reason: relayLetter.reason, message: relayLetter.message } : null,
    router: routerLetter ? { reason: routerLetter.reason, message: routerLetter.message } : null,
    sectors,
    trace: traceId ? { traceId, url: `${traceUrl}${traceId}` } : null,
  };
}
