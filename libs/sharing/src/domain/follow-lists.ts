import {
  type CitizenEventType,
  type DeliveryMode,
  type FollowChange,
  SECTORS,
  type Sector,
} from '@bus/contracts/pure';
import { ConfigError } from '@bus/platform/pure';
import { PersonalIdSet } from './personal-id-set';

/** What the router needs of a sector's grant to decide deliveries. */
export interface DeliveryGrant {
  readonly delivery: DeliveryMode;
  readonly followStartedBy: ReadonlySet<CitizenEventType>;
}

/**
 * The router's follow-lists: one PersonalIdSet per sector whose policy says
 * `delivery: followed`. A sector with `delivery: all` receives every citizen; a followed
 * one only those on its list. Follow changes of any other recipient (an unknown name, or a
 * sector delivered to in full) change nothing: a follow can only narrow what the policy
 * already grants, never widen it.
 */
export class FollowLists {
  private readonly sets = new Map<Sector, PersonalIdSet>();

  constructor(grants: Readonly<Record<Sector, DeliveryGrant>>, expectedPerSector = 1_024) {
    for (const sector of SECTORS) {
      if (grants[sector].delivery !== 'followed') continue;
      // Not built yet (docs/ledger.md): refused rather than silently delivering less.
      if (grants[sector].followStartedBy.size > 0) {
        throw new ConfigError(
          `sectors.${sector}.followStartedBy: the share router does not start follows by event yet`,
        );
      }
      this.sets.set(sector, new PersonalIdSet(expectedPerSector));
    }
  }

  /** The sectors delivered to only for the citizens they follow. */
  get followedSectors(): Sector[] {
    return [...this.sets.keys()];
  }

  /** Whether the router may deliver an event about `personalId` to `sector`. */
  delivers(sector: Sector, personalId: string): boolean {
    const set = this.sets.get(sector);
    return set === undefined || set.has(personalId);
  }

  /**
   * Applies one change of the follow-list topic. Returns the followed sector it concerns,
   * or null when it concerns no followed sector (and changed nothing).
   */
  apply(change: FollowChange): Sector | null {
    const sector = SECTORS.find((s) => s === change.recipient);
    const set = sector === undefined ? undefined : this.sets.get(sector);
    if (sector === undefined || set === undefined) return null;
    if (change.following) set.add(change.personalId);
    else set.delete(change.personalId);
    return sector;
  }

  /** Number of citizens a followed sector follows (0 for the others). */
  size(sector: Sector): number {
    return this.sets.get(sector)?.size ?? 0;
  }

  /** Bytes the follow-lists' tables hold. */
  get bytes(): number {
    let total = 0;
    for (const set of this.sets.values()) total += set.bytes;
    return total;
  }
}
