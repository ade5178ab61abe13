import avsc from 'avsc';

export type CompatibilityLevelName =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

/** Why a reader schema cannot read data written with a writer schema. */
export interface ReadIssue {
  /** Dotted path of the field, e.g. `permanentResidence.communeCode`; empty for the root. */
  readonly path: string;
  readonly message: string;
}

const PROMOTIONS: Record<string, readonly string[]> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

function isUnion(type: avsc.Type): boolean {
  return type.typeName.startsWith('union');
}

function branches(type: avsc.Type): avsc.Type[] {
  return (type as unknown as { types: avsc.Type[] }).types;
}

function describe(type: avsc.Type): string {
  return type.name ?? type.typeName;
}

function namesMatch(reader: avsc.Type, writer: avsc.Type): boolean {
  if (reader.name === undefined || writer.name === undefined) return true;
  const unqualified = (n: string) => n.slice(n.lastIndexOf('.') + 1);
  const candidates = [reader.name, ...(reader.aliases ?? [])];
  return candidates.some((n) => n === writer.name || unqualified(n) === unqualified(writer.name!));
}

/** Quick yes/no used to pick a union branch. */
function canRead(reader: avsc.Type, writer: avsc.Type): boolean {
  return readIssues(reader, writer, '', new Set()).length === 0;
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function readIssues(
  reader: avsc.Type,
  writer: avsc.Type,
  path: string,
  seen: Set<string>,
): ReadIssue[] {
  if (isUnion(writer)) {
    return branches(writer).flatMap((branch) => readIssues(reader, branch, path, seen));
  }
  if (isUnion(reader)) {
    return branches(reader).some((branch) => canRead(branch, writer))
      ? []
      : [
          {
            path,
            message: `no branch of the reader's union accepts the writer's ${describe(writer)}`,
          },
        ];
  }
  if (reader.typeName !== writer.typeName) {
    return PROMOTIONS[writer.typeName]?.includes(reader.typeName)
      ? []
      : [{ path, message: `type changed from ${writer.typeName} to ${reader.typeName}` }];
  }
  switch (reader.typeName) {
    case 'record': {
      if (!namesMatch(reader, writer)) {
        return [
          { path, message: `record ${describe(writer)} cannot be read as ${describe(reader)}` },
        ];
      }
      // Recursive record types: one visit per pair is enough.
      const key = `${reader.name}<-${writer.name}`;
      if (seen.has(key)) return [];
      seen.add(key);
      const writerFields = (writer as avsc.types.RecordType).fields;
      return (reader as avsc.types.RecordType).fields.flatMap((field) => {
        const names = [field.name, ...field.aliases];
        const source = writerFields.find((w) => names.includes(w.name));
        const fieldPath = join(path, field.name);
        if (source === undefined) {
          return field.defaultValue() === undefined
            ? [
                {
                  path: fieldPath,
                  message: `field '${fieldPath}' is required by the reader (no default) but absent from the writer`,
                },
              ]
            : [];
        }
        return readIssues(field.type, source.type, fieldPath, seen);
      });
    }
    case 'enum': {
      if (!namesMatch(reader, writer)) {
        return [
          { path, message: `enum ${describe(writer)} cannot be read as ${describe(reader)}` },
        ];
      }
      const readerSymbols = (reader as avsc.types.EnumType).symbols;
      const missing = (writer as avsc.types.EnumType).symbols.filter(
        (s) => !readerSymbols.includes(s),
      );
      const hasDefault = (reader as unknown as { default?: string }).default !== undefined;
      return missing.length === 0 || hasDefault
        ? []
        : [
            {
              path,
              message: `enum symbol(s) ${missing.join(', ')} written but unknown to the reader`,
            },
          ];
    }
    case 'array':
      return readIssues(
        (reader as avsc.types.ArrayType).itemsType,
        (writer as avsc.types.ArrayType).itemsType,
        `${path}[]`,
        seen,
      );
    case 'map':
      return readIssues(
        (reader as avsc.types.MapType).valuesType,
        (writer as avsc.types.MapType).valuesType,
        `${path}{}`,
        seen,
      );
    case 'fixed':
      return namesMatch(reader, writer) &&
        (reader as avsc.types.FixedType).size === (writer as avsc.types.FixedType).size
        ? []
        : [{ path, message: `fixed ${describe(writer)} cannot be read as ${describe(reader)}` }];
    default:
      return [];
  }
}

/**
 * Field-level reasons why `reader` cannot read data written with `writer` under the Avro
 * schema-resolution rules; avsc's own resolver is the final word when the walk finds nothing.
 */
export function whyCannotRead(readerSchema: unknown, writerSchema: unknown): ReadIssue[] {
  const reader = avsc.Type.forSchema(readerSchema as avsc.Schema);
  const writer = avsc.Type.forSchema(writerSchema as avsc.Schema);
  const issues = readIssues(reader, writer, '', new Set());
  if (issues.length > 0) return issues;
  try {
    reader.createResolver(writer);
    return [];
  } catch (error) {
    return [{ path: '', message: (error as Error).message }];
  }
}

export interface VersionedSchema {
  readonly version: number;
  readonly schema: unknown;
}

export interface ChainIssue {
  readonly newer: number;
  readonly older: number;
  /** `backward`: the newer schema reads older data; `forward`: the older schema reads newer data. */
  readonly direction: 'backward' | 'forward';
  readonly issues: readonly ReadIssue[];
}

/** Checks each version against the ones before it, as the level demands when it was added. */
export function checkChain(
  versions: readonly VersionedSchema[],
  level: CompatibilityLevelName,
): ChainIssue[] {
  if (level === 'NONE') return [];
  const transitive = level.endsWith('_TRANSITIVE');
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const found: ChainIssue[] = [];
  versions.forEach((newer, j) => {
    const olders = transitive ? versions.slice(0, j) : versions.slice(Math.max(0, j - 1), j);
    for (const older of olders) {
      if (backward) {
        const issues = whyCannotRead(newer.schema, older.schema);
        if (issues.length > 0) {
          found.push({ newer: newer.version, older: older.version, direction: 'backward', issues });
        }
      }
      if (forward) {
        const issues = whyCannotRead(older.schema, newer.schema);
        if (issues.length > 0) {
          found.push({ newer: newer.version, older: older.version, direction: 'forward', issues });
        }
      }
    }
  });
  return found;
}
