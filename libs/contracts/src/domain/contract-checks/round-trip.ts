import { isDeepStrictEqual } from 'node:util';
import avsc from 'avsc';
import { CITIZEN_EVENT_TYPES, type CitizenChanged } from '../events/citizen-changed.event';
import { sampleCitizenChanged } from '../events/citizen-changed.samples';
import { projectEvent } from '../sharing/projection';
import type { SharingPolicy } from '../sharing/sharing-policy';
import type { Sector } from '../topics';
import type { VersionedSchema } from './avro-compatibility';
import type { Violation } from './contract-report';

export interface Sample {
  readonly label: string;
  readonly value: Record<string, unknown>;
}

/** One sample per event type, as the master topic carries them (decoded by the latest master). */
export function masterSamples(): Sample[] {
  return CITIZEN_EVENT_TYPES.map((type) => ({
    label: type,
    value: sampleCitizenChanged(type) as unknown as Record<string, unknown>,
  }));
}

/**
 * What a share topic carries: each master version's samples, read by the latest master
 * (as the share router does) and projected for the sector.
 */
export function sectorSamples(
  masterVersions: readonly VersionedSchema[],
  policy: SharingPolicy,
  sector: Sector,
): Sample[] {
  const latest = avsc.Type.forSchema(masterVersions.at(-1)!.schema as avsc.Schema);
  return masterVersions.flatMap(({ version, schema }) => {
    const writer = avsc.Type.forSchema(schema as avsc.Schema);
    const resolver = latest.createResolver(writer);
    return masterSamples().flatMap((sample) => {
      const event = latest.fromBuffer(writer.toBuffer(sample.value), resolver) as CitizenChanged;
      const projected = projectEvent(policy, sector, event);
      return projected === null
        ? []
        : [{ label: `${sample.label} (master v${version})`, value: projected as never }];
    });
  });
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function invalidPaths(type: avsc.Type, value: unknown): string {
  const paths: string[] = [];
  type.isValid(value, { errorHook: (path) => paths.push(path.join('.')) });
  return paths.length === 0 ? '' : ` (field ${paths.join(', ')})`;
}

/**
 * Encodes every sample with every writer version and decodes it with the reader, then
 * checks each reader field holds what the writer sent (or the reader's default). The same
 * failure on many samples is reported once, with a count.
 */
export function roundTrip(
  subject: string,
  readerSchema: unknown,
  writers: readonly VersionedSchema[],
  samples: readonly Sample[],
): Violation[] {
  const reader = avsc.Type.forSchema(readerSchema as avsc.Schema) as avsc.types.RecordType;
  const failures = new Map<string, { field?: string; message: string; labels: string[] }>();
  const fail = (key: string, label: string, message: string, field?: string) => {
    const entry = failures.get(key) ?? { field, message, labels: [] };
    entry.labels.push(label);
    failures.set(key, entry);
  };
  for (const { version, schema } of writers) {
    const writer = avsc.Type.forSchema(schema as avsc.Schema) as avsc.types.RecordType;
    let resolver: avsc.Resolver;
    try {
      resolver = reader.createResolver(writer);
    } catch (error) {
      fail(
        `r${version}`,
        'all samples',
        `the reader cannot read writer v${version}: ${(error as Error).message}`,
      );
      continue;
    }
    const writerFields = new Set(writer.fields.map((f) => f.name));
    for (const sample of samples) {
      let decoded: Record<string, unknown>;
      try {
        decoded = plain(reader.fromBuffer(writer.toBuffer(sample.value), resolver)) as never;
      } catch (error) {
        const message = `writer v${version} cannot encode or the reader cannot decode: ${(error as Error).message}${invalidPaths(writer, sample.value)}`;
        fail(message, sample.label, message);
        continue;
      }
      for (const field of reader.fields) {
        const sent = writerFields.has(field.name) || field.aliases.some((a) => writerFields.has(a));
        const expected = plain(sent ? (sample.value[field.name] ?? null) : field.defaultValue());
        if (!isDeepStrictEqual(decoded[field.name], expected)) {
          const message = `written with v${version}, decoded as ${JSON.stringify(decoded[field.name])}, expected ${JSON.stringify(expected)}`;
          fail(`${version}|${field.name}`, sample.label, message, field.name);
        }
      }
    }
  }
  return [...failures.values()].map(({ field, message, labels }) => ({
    rule: 'round-trip' as const,
    subject,
    ...(field === undefined ? {} : { field }),
    message: `${message} [${labels.length === 1 ? labels[0] : `${labels.length} samples, e.g. ${labels[0]}`}]`,
  }));
}
