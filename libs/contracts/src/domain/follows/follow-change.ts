import { ErrorCode, ValidationError } from '@bus/platform/pure';

/**
 * The follow-list contract pinned in docs/conventions.md ("Follows"): a recipient (a sector)
 * starts or stops following a citizen (the Dutch BRP's afnemersindicatie). Written by every
 * sector-sync service through its follows outbox, read by the share router. The topic is
 * compacted: the last change per recipient and citizen is the follow-list.
 */
export const FOLLOWS_TOPIC = 'sync.follows';

export const FOLLOWS_PARTITIONS = 3;

export interface FollowChange {
  readonly recipient: string;
  readonly personalId: string;
  readonly following: boolean;
  /** When the recipient's transaction committed the change (ISO-8601). */
  readonly changedAt: string;
}

/** The record key: one follow-list entry per recipient and citizen. */
export const followKey = (recipient: string, personalId: string): string =>
  `${recipient}/${personalId}`;

const invalid = (message: string) => new ValidationError(ErrorCode.FOLLOW_INVALID, message);

/** Reads one follow change, naming the field that breaks the contract. */
export function parseFollowChange(json: string): FollowChange {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ValidationError(ErrorCode.FOLLOW_INVALID, 'follow change is not JSON', {
      cause: error,
    });
  }
  if (typeof raw !== 'object' || raw === null) throw invalid('follow change must be an object');
  const { recipient, personalId, following, changedAt } = raw as Record<string, unknown>;
  if (typeof recipient !== 'string' || !recipient)
    throw invalid('recipient must be a non-empty string');
  if (typeof personalId !== 'string' || !/^\d{12}$/.test(personalId)) {
    throw invalid('personalId must be 12 digits');
  }
  if (typeof following !== 'boolean') throw invalid('following must be true or false');
  if (typeof changedAt !== 'string' || Number.isNaN(Date.parse(changedAt))) {
    throw invalid('changedAt must be an ISO-8601 time');
  }
  return { recipient, personalId, following, changedAt };
}
