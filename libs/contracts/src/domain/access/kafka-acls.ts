import { deadLetterTopicFor, RELAY_DEAD_LETTER_TOPIC } from '../dead-letter/dead-letter';
import { FOLLOWS_TOPIC } from '../follows/follow-change';
import { DELIVERY_RECEIPTS_TOPIC } from '../receipts/delivery-receipt';
import { SYNC_PROGRESS_TOPIC } from '../sync-progress/sync-progress';
import {
  LEDGER_GROUP,
  MASTER_TOPIC,
  SECTORS,
  SHARE_ROUTER_GROUP,
  shareTopic,
  syncGroup,
  type Sector,
} from '../topics';

/**
 * The bus's Kafka ACLs as code, derived from the names on the wire (topics.ts) and the
 * sectors of the sharing policy: adding a sector adds its principal and its ACLs. Least
 * privilege (docs/data-plane-security.md has the table with the reasons): a sector reads
 * only its own share topic, so what the policy withholds never reaches it even if it tries.
 */
export type AclResourceType = 'TOPIC' | 'GROUP' | 'CLUSTER' | 'TRANSACTIONAL_ID';
export type AclPatternType = 'LITERAL' | 'PREFIXED';
export type AclOperation =
  | 'READ'
  | 'WRITE'
  | 'CREATE'
  | 'DELETE'
  | 'DESCRIBE'
  | 'DESCRIBE_CONFIGS'
  | 'IDEMPOTENT_WRITE'
  | 'ALL';

export interface KafkaAcl {
  /** Without the `User:` prefix. */
  readonly principal: string;
  readonly resourceType: AclResourceType;
  readonly resourceName: string;
  readonly patternType: AclPatternType;
  readonly operation: AclOperation;
}

/** The SCRAM principals (`admin` is the super user and has no ACLs). */
export const KAFKA_ADMIN_PRINCIPAL = 'admin';
export const RELAY_PRINCIPAL = 'relay';
export const ROUTER_PRINCIPAL = 'share-router';
export const LEDGER_PRINCIPAL = 'ledger';
export const OPS_CONSOLE_PRINCIPAL = 'ops-console';
export const BENCH_PRINCIPAL = 'bench';
export const syncPrincipal = (sector: Sector): string => `sync-${sector}`;

/** Every principal of the bus, in the order the docs' table lists them. */
export function kafkaPrincipals(sectors: readonly Sector[] = SECTORS): string[] {
  return [
    KAFKA_ADMIN_PRINCIPAL,
    RELAY_PRINCIPAL,
    ROUTER_PRINCIPAL,
    ...sectors.map(syncPrincipal),
    LEDGER_PRINCIPAL,
    OPS_CONSOLE_PRINCIPAL,
    BENCH_PRINCIPAL,
  ];
}

/** The cluster resource's one name. */
const CLUSTER = 'kafka-cluster';
/** Consumer groups of the ops console: one per reader it starts (`ops-console.<use>.<uuid>`). */
export const OPS_CONSOLE_GROUP_PREFIX = 'ops-console.';
/** Everything the benchmarks create is named `bench.<scenario>.<run>`. */
export const BENCH_PREFIX = 'bench.';

type Grant = Omit<KafkaAcl, 'principal' | 'patternType'> & { patternType?: AclPatternType };

const topic = (name: string, ...operations: AclOperation[]): Grant[] =>
  operations.map((operation) => ({ resourceType: 'TOPIC', resourceName: name, operation }));
const group = (name: string, ...operations: AclOperation[]): Grant[] =>
  operations.map((operation) => ({ resourceType: 'GROUP', resourceName: name, operation }));
const idempotent: Grant = {
  resourceType: 'CLUSTER',
  resourceName: CLUSTER,
  operation: 'IDEMPOTENT_WRITE',
};

/** The names the ACLs are about: the bus's own, or a test's private copies of them. */
export interface BusKafkaNames {
  readonly masterTopic: string;
  readonly shareTopic: (sector: Sector) => string;
  readonly routerGroup: string;
  readonly syncGroup: (sector: Sector) => string;
  readonly ledgerGroup: string;
  readonly receiptsTopic: string;
  readonly progressTopic: string;
  readonly followsTopic: string;
}

export const BUS_KAFKA_NAMES: BusKafkaNames = {
  masterTopic: MASTER_TOPIC,
  shareTopic,
  routerGroup: SHARE_ROUTER_GROUP,
  syncGroup,
  ledgerGroup: LEDGER_GROUP,
  receiptsTopic: DELIVERY_RECEIPTS_TOPIC,
  progressTopic: SYNC_PROGRESS_TOPIC,
  followsTopic: FOLLOWS_TOPIC,
};

export function wantedKafkaAcls(
  sectors: readonly Sector[] = SECTORS,
  names: BusKafkaNames = BUS_KAFKA_NAMES,
): KafkaAcl[] {
  const { masterTopic: master, routerGroup, receiptsTopic: receipts } = names;
  const { progressTopic: progress, followsTopic: follows } = names;
  const shareOf = names.shareTopic;
  const groupOf = names.syncGroup;
  const routerDlt = deadLetterTopicFor(routerGroup);
  const ledgerDlt = deadLetterTopicFor(names.ledgerGroup);
  const grants: Record<string, Grant[]> = {
    // Creates the compacted master topic on first use, then writes it (idempotent, acks=all);
    // an outbox row it cannot encode goes to its dead-letter topic in the same request.
    [RELAY_PRINCIPAL]: [
      ...topic(master, 'CREATE', 'WRITE'),
      ...topic(RELAY_DEAD_LETTER_TOPIC, 'CREATE', 'WRITE'),
      idempotent,
    ],
    [ROUTER_PRINCIPAL]: [
      ...topic(master, 'READ'),
      ...group(routerGroup, 'READ'),
      ...sectors.flatMap((s) => topic(shareOf(s), 'CREATE', 'WRITE')),
      ...topic(routerDlt, 'CREATE', 'WRITE'),
      // Follow-lists, which the sectors write and the router reads.
      ...topic(follows, 'READ'),
      // The follow-list consumer's groups, <group>.<instance>.follows and .follows-filled (the
      // latter committed in the fill's transaction).
      {
        resourceType: 'GROUP',
        resourceName: `${routerGroup}.`,
        patternType: 'PREFIXED',
        operation: 'READ',
      },
      {
        resourceType: 'TRANSACTIONAL_ID',
        resourceName: `${routerGroup}.`,
        patternType: 'PREFIXED',
        operation: 'WRITE',
      },
      idempotent,
    ],
    ...Object.fromEntries(
      sectors.map((s) => [
        syncPrincipal(s),
        [
          ...topic(shareOf(s), 'READ'),
          // DELETE: `npm run sync:rebuild` deletes the group's offsets and starts again.
          ...group(groupOf(s), 'READ', 'DELETE'),
          ...topic(deadLetterTopicFor(groupOf(s)), 'CREATE', 'WRITE'),
          ...topic(progress, 'CREATE', 'WRITE'),
          ...topic(receipts, 'CREATE', 'WRITE'),
          ...topic(follows, 'CREATE', 'WRITE'),
          idempotent,
        ],
      ]),
    ),
    [LEDGER_PRINCIPAL]: [
      ...topic(receipts, 'CREATE', 'READ'),
      ...group(names.ledgerGroup, 'READ'),
      ...topic(ledgerDlt, 'CREATE', 'WRITE'),
      idempotent,
    ],
    [OPS_CONSOLE_PRINCIPAL]: [
      // Lag needs every group's offsets and every topic's end offsets: describe only.
      ...topic('*', 'DESCRIBE'),
      ...group('*', 'DESCRIBE'),
      ...[
        RELAY_DEAD_LETTER_TOPIC,
        routerDlt,
        ledgerDlt,
        ...sectors.map((s) => deadLetterTopicFor(groupOf(s))),
      ].flatMap((dlt) => topic(dlt, 'READ')),
      ...topic(progress, 'CREATE', 'READ'),
      // "Where is this event?" finds an event's partition and offset on the master topic; the
      // console shows only masked fields of what it reads.
      ...topic(master, 'READ'),
      {
        resourceType: 'GROUP',
        resourceName: OPS_CONSOLE_GROUP_PREFIX,
        patternType: 'PREFIXED',
        operation: 'READ',
      },
      // A replay goes back to the topic its letter came from: the topics the dead-lettering
      // groups read, and no other.
      ...[master, receipts, ...sectors.map(shareOf)].flatMap((t) => topic(t, 'WRITE')),
      idempotent,
    ],
    // The benchmarks build whole private pipelines under their own prefix; their sector
    // services report progress and follow-lists on the shared topics, as the real ones do.
    [BENCH_PRINCIPAL]: [
      ...topic(progress, 'CREATE', 'WRITE'),
      ...topic(follows, 'CREATE', 'WRITE'),
      ...(['TOPIC', 'GROUP', 'TRANSACTIONAL_ID'] as const).map((resourceType): Grant => ({
        resourceType,
        resourceName: BENCH_PREFIX,
        patternType: 'PREFIXED',
        operation: 'ALL',
      })),
      idempotent,
    ],
  };
  return Object.entries(grants).flatMap(([principal, list]) =>
    list.map(({ patternType, ...grant }) => ({
      principal,
      ...grant,
      patternType: patternType ?? 'LITERAL',
    })),
  );
}

/** One line per ACL, stable, for diffs and logs. */
export function aclKey(acl: KafkaAcl): string {
  return `User:${acl.principal} ${acl.operation} ${acl.resourceType}:${acl.patternType}:${acl.resourceName}`;
}

export interface AclDiff {
  readonly missing: readonly KafkaAcl[];
  readonly extra: readonly KafkaAcl[];
}

export function diffAcls(wanted: readonly KafkaAcl[], actual: readonly KafkaAcl[]): AclDiff {
  const have = new Set(actual.map(aclKey));
  const want = new Set(wanted.map(aclKey));
  return {
    missing: wanted.filter((acl) => !have.has(aclKey(acl))),
    extra: actual.filter((acl) => !want.has(aclKey(acl))),
  };
}
