import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CitizenChanged } from '../../domain/events/citizen-changed.event';
import {
  generateProjectionSchema,
  type ProjectedCitizenChanged,
  projectionOf,
  type SectorProjection,
} from '../../domain/sharing/projection';
import { parseSharingPolicy, type SharingPolicy } from '../../domain/sharing/sharing-policy';
import { SECTORS, type Sector, shareTopic } from '../../domain/topics';
import {
  CITIZEN_CHANGED_SCHEMA_NAME,
  citizenChangedKeySchema,
  loadSchemaVersions,
  readSchemaFile,
  SCHEMAS_DIR,
  shippedSchemaVersions,
} from '../schemas/schema-files';
import { AvroDeserializer, AvroSerializer } from '../serdes/avro-serdes';

export const SHARING_POLICY_FILE = 'sharing-policy.json';

export function projectionSchemaName(sector: Sector): string {
  return `projections/${sector}`;
}

export function loadSharingPolicy(dir: string = SCHEMAS_DIR): SharingPolicy {
  return parseSharingPolicy(readSchemaFile(join(dir, SHARING_POLICY_FILE)));
}

let shipped: SharingPolicy | undefined;

/** The shipped schemas/sharing-policy.json, parsed once. */
export function sharingPolicy(): SharingPolicy {
  shipped ??= loadSharingPolicy();
  return shipped;
}

/**
 * What `sector` may receive of `event` under the shipped policy; null when the event type
 * is withheld from it.
 */
export function project(sector: Sector, event: CitizenChanged): ProjectedCitizenChanged | null {
  shippedProjections ??= Object.fromEntries(
    SECTORS.map((s) => [s, projectionOf(sharingPolicy(), s)]),
  ) as Record<Sector, SectorProjection>;
  return shippedProjections[sector](event);
}

/** The router calls `project` four times per record: no lookup beyond this one. */
let shippedProjections: Record<Sector, SectorProjection> | undefined;

/** The sector's projection schema as shipped in schemas/projections/<sector>/ (default: latest). */
export function projectionSchema(sector: Sector, version?: number): unknown {
  const versions = shippedSchemaVersions(projectionSchemaName(sector));
  return (version === undefined ? versions.at(-1) : versions[version - 1])?.schema;
}

/** Share-router side: registers `share.<sector>.citizen-changed-value` (and `-key`). */
export function startShareSerializer(
  registryUrl: string,
  sector: Sector,
  topic: string = shareTopic(sector),
): Promise<AvroSerializer<ProjectedCitizenChanged>> {
  return AvroSerializer.start<ProjectedCitizenChanged>({
    registryUrl,
    topic,
    schema: projectionSchema(sector),
    keySchema: citizenChangedKeySchema(),
  });
}

/** Sector side: reads the share topic with the sector's projection (or its own reader schema). */
export function shareDeserializer(
  registryUrl: string,
  sector: Sector,
  readerSchema: unknown = projectionSchema(sector),
): AvroDeserializer<ProjectedCitizenChanged> {
  return new AvroDeserializer<ProjectedCitizenChanged>({ registryUrl, readerSchema });
}

export interface GeneratedProjection {
  readonly sector: Sector;
  readonly version: number;
  readonly file: string;
  readonly written: boolean;
}

/**
 * Regenerates each sector's projection from the latest master schema and the policy.
 * A projection that changed is written as a NEW version; published versions are kept.
 */
export function writeProjections(dir: string = SCHEMAS_DIR): GeneratedProjection[] {
  const policy = loadSharingPolicy(dir);
  const master = loadSchemaVersions(CITIZEN_CHANGED_SCHEMA_NAME, dir).at(-1)!.schema;
  return SECTORS.map((sector) => {
    const folder = join(dir, projectionSchemaName(sector));
    const generated = generateProjectionSchema(master, policy, sector);
    const existing =
      existsSync(folder) && readdirSync(folder).some((f) => f.endsWith('.avsc'))
        ? loadSchemaVersions(projectionSchemaName(sector), dir)
        : [];
    const last = existing.at(-1);
    if (last !== undefined && JSON.stringify(last.schema) === JSON.stringify(generated)) {
      return { sector, version: last.version, file: last.file, written: false };
    }
    mkdirSync(folder, { recursive: true });
    const version = existing.length + 1;
    const file = join(folder, `v${version}.avsc`);
    writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`);
    return { sector, version, file, written: true };
  });
}
