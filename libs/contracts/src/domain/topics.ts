/** Names on the wire, as pinned in docs/conventions.md. */
export const AVRO_NAMESPACE = 'vn.gov.population.events';

export const MASTER_TOPIC = 'population.citizen-changed';

export const SECTORS = ['bhyt', 'land', 'tax', 'tthc'] as const;
export type Sector = (typeof SECTORS)[number];

export function shareTopic(sector: Sector): string {
  return `share.${sector}.citizen-changed`;
}

/** Consumer groups of the bus's own services (`bus.<service>`). */
export const SHARE_ROUTER_GROUP = 'bus.share-router';

/**
 * The outbox relay, named where it writes as a service: its dead-letter topic takes the
 * `bus.<service>.dlt` form of the consumer groups' ones.
 */
export const OUTBOX_RELAY_NAME = 'bus.outbox-relay';

/** The delivery ledger's group (libs/ledger); named here because the ACLs derive from it. */
export const LEDGER_GROUP = 'bus.ledger';

export function syncGroup(sector: Sector): string {
  return `bus.sync-${sector}`;
}

export const SHARE_TOPICS: Readonly<Record<Sector, string>> = {
  bhyt: shareTopic('bhyt'),
  land: shareTopic('land'),
  tax: shareTopic('tax'),
  tthc: shareTopic('tthc'),
};

/** TopicNameStrategy. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

export function keySubject(topic: string): string {
  return `${topic}-key`;
}

export const MASTER_VALUE_SUBJECT = valueSubject(MASTER_TOPIC);

/** The sector a share topic belongs to, if it is one. */
export function sectorOfTopic(topic: string): Sector | undefined {
  return SECTORS.find((s) => shareTopic(s) === topic);
}

/** `bhyt` -> `BhytCitizenChanged`, the record name of the sector's projection. */
export function projectionRecordName(sector: Sector): string {
  return `${sector.charAt(0).toUpperCase()}${sector.slice(1)}CitizenChanged`;
}

/** Shared topics must let old readers read new data and new readers read all kept data. */
export const SHARED_TOPIC_COMPATIBILITY = 'FULL_TRANSITIVE';
