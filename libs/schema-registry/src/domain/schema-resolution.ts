import type { AvroType } from './avro-schema';

/** Java's SchemaCompatibility names for the kinds of incompatibility, which Confluent reports. */
export type IncompatibilityType =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH';

export interface Incompatibility {
  readonly type: IncompatibilityType;
  readonly description: string;
  readonly additionalInfo: string;
}

export interface Roles {
  /** How the reader and the writer are called in messages ("new", "old"). */
  readonly reader: string;
  readonly writer: string;
}

/*
 * Options that align avsc's resolution with Java's SchemaCompatibility, which
 * Confluent runs: Java compares the unqualified names of named types (so a
 * namespace change alone is compatible), avsc compares full names unless told.
 */
function resolveOptions() {
  // A fresh object per call: avsc caches resolvers in `opts.registry` by type
  // names, so a shared options object would answer from an unrelated schema.
  return { ignoreNamespaces: true };
}

function namedTypes(root: AvroType): Map<string, AvroType> {
  const found = new Map<string, AvroType>();
  const visit = (type: AvroType): void => {
    if (type.name !== undefined) {
      if (found.has(type.name)) return;
      found.set(type.name, type);
    }
    const t = type as unknown as {
      types?: AvroType[];
      fields?: { type: AvroType }[];
      itemsType?: AvroType;
      valuesType?: AvroType;
      underlyingType?: AvroType;
    };
    for (const child of [
      ...(t.types ?? []),
      ...(t.fields ?? []).map((f) => f.type),
      ...(t.itemsType ? [t.itemsType] : []),
      ...(t.valuesType ? [t.valuesType] : []),
      ...(t.underlyingType ? [t.underlyingType] : []),
    ])
      visit(child);
  };
  visit(root);
  return found;
}

function describe(json: unknown): string {
  return typeof json === 'string' ? json : JSON.stringify(json);
}

/** avsc prints types in messages as JSON with named types by name; find the types again. */
function lookup(
  printed: string,
  registry: Map<string, AvroType>,
): { json: unknown; type?: AvroType } {
  let json: unknown;
  try {
    json = JSON.parse(printed);
  } catch {
    return { json: printed };
  }
  const type = typeof json === 'string' ? registry.get(json) : undefined;
  return type ? { json, type } : { json };
}

function explainCannotRead(
  writerText: string,
  readerText: string,
  reader: AvroType,
  writer: AvroType,
  roles: Roles,
): Incompatibility {
  const r = lookup(readerText, namedTypes(reader));
  const w = lookup(writerText, namedTypes(writer));
  const rt = r.type as (AvroType & { symbols?: string[]; size?: number }) | undefined;
  const wt = w.type as (AvroType & { symbols?: string[]; size?: number }) | undefined;
  if (rt?.typeName === 'enum' && wt?.typeName === 'enum') {
    const missing = (wt.symbols ?? []).filter((s) => !(rt.symbols ?? []).includes(s));
    if (missing.length > 0) {
      return {
        type: 'MISSING_ENUM_SYMBOLS',
        description: `The ${roles.reader} schema is missing enum symbols '[${missing.join(', ')}]' at enum '${rt.name}', and it has no enum default to read them as`,
        additionalInfo: `[${missing.join(', ')}]`,
      };
    }
    return nameMismatch(rt, wt, roles);
  }
  if (rt?.typeName === 'fixed' && wt?.typeName === 'fixed') {
    if (rt.size !== wt.size) {
      return {
        type: 'FIXED_SIZE_MISMATCH',
        description: `Fixed '${rt.name}' has size ${rt.size} in the ${roles.reader} schema and size ${wt.size} in the ${roles.writer} schema`,
        additionalInfo: `expected: ${wt.size}, found: ${rt.size}`,
      };
    }
    return nameMismatch(rt, wt, roles);
  }
  if (Array.isArray(r.json)) {
    return {
      type: 'MISSING_UNION_BRANCH',
      description: `The ${roles.reader} union ${describe(r.json)} has no branch that can read type ${describe(w.json)} of the ${roles.writer} schema`,
      additionalInfo: `reader union lacking writer type: ${describe(w.json)}`,
    };
  }
  return {
    type: 'TYPE_MISMATCH',
    description: `The type ${describe(r.json)} in the ${roles.reader} schema cannot read the type ${describe(w.json)} of the ${roles.writer} schema (no Avro promotion between them)`,
    additionalInfo: `reader type: ${describe(r.json)} not compatible with writer type: ${describe(w.json)}`,
  };
}

function nameMismatch(reader: AvroType, writer: AvroType, roles: Roles): Incompatibility {
  return {
    type: 'NAME_MISMATCH',
    description: `The name '${reader.name}' in the ${roles.reader} schema does not match '${writer.name}' in the ${roles.writer} schema, nor is it one of the ${roles.reader} schema's aliases`,
    additionalInfo: `expected: ${writer.name}`,
  };
}

/**
 * Whether data written with `writer` can be read with `reader`, by Avro's schema
 * resolution rules as avsc implements them; `undefined` when it can, otherwise
 * the first problem found, phrased for people.
 */
export function resolutionProblem(
  reader: AvroType,
  writer: AvroType,
  roles: Roles,
): Incompatibility | undefined {
  try {
    reader.createResolver(writer, resolveOptions());
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const missing = /^no matching field for default-less (.+)\.([^.]+)$/.exec(message);
    if (missing) {
      return {
        type: 'READER_FIELD_MISSING_DEFAULT_VALUE',
        description: `The field '${missing[2]}' of record '${missing[1]}' in the ${roles.reader} schema has no default value and is missing in the ${roles.writer} schema`,
        additionalInfo: String(missing[2]),
      };
    }
    const alias = /^no alias found for (.+)$/.exec(message);
    if (alias) {
      const writerType = namedTypes(writer).get(String(alias[1]));
      const readerName = [...namedTypes(reader).values()].find(
        (t) => t.typeName === writerType?.typeName,
      );
      return {
        type: 'NAME_MISMATCH',
        description: `The ${roles.writer} schema's type '${alias[1]}' matches no name or alias in the ${roles.reader} schema${readerName ? ` (which has '${readerName.name}')` : ''}`,
        additionalInfo: `expected: ${alias[1]}`,
      };
    }
    // "cannot read <writer> as <reader>": both printed without spaces, so the first " as " splits them.
    const cannot = /^cannot read (.+)$/.exec(message);
    const at = cannot ? String(cannot[1]).indexOf(' as ') : -1;
    if (cannot && at > 0) {
      const rest = String(cannot[1]);
      return explainCannotRead(rest.slice(0, at), rest.slice(at + 4), reader, writer, roles);
    }
    return { type: 'TYPE_MISMATCH', description: message, additionalInfo: message };
  }
}
