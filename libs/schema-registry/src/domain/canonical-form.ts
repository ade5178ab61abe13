/*
 * The Avro "Parsing Canonical Form" (spec, "Transforming into Parsing Canonical
 * Form"), optionally extended with the attributes that the canonical form strips
 * but that change how data is resolved or decoded.
 *
 * Why extended: the plain canonical form drops field defaults, aliases, enum
 * defaults and logical types. Deciding identity on it alone would make "add a
 * default to field x" or "make this long a timestamp-millis" re-registrations
 * return the old id and silently lose the change, and a later FORWARD check that
 * relies on that default would fail. Docs, custom properties, whitespace, key
 * order and short-vs-full names stay out of identity, as the canonical form wants.
 *
 * Input must already be a valid Avro schema (validated by avsc): this only
 * rewrites it.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PRIMITIVES = new Set([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);
const LOGICAL_ATTRIBUTES = ['logicalType', 'precision', 'scale'] as const;

interface Context {
  readonly extended: boolean;
  readonly defined: Set<string>;
}

function qualify(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

function namespaceOf(fullName: string): string | undefined {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? undefined : fullName.slice(0, dot);
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reference(name: string, namespace: string | undefined, context: Context): string {
  if (PRIMITIVES.has(name)) return name;
  const qualified = qualify(name, namespace);
  // Java's parser falls back to the null namespace when the qualified name is unknown.
  return context.defined.has(qualified) || !context.defined.has(name) ? qualified : name;
}

function withLogical(
  target: Record<string, Json>,
  source: Record<string, Json>,
  context: Context,
): void {
  if (!context.extended || typeof source.logicalType !== 'string') return;
  for (const attribute of LOGICAL_ATTRIBUTES) {
    const value = source[attribute];
    if (value !== undefined) target[attribute] = value;
  }
}

function transform(schema: Json, namespace: string | undefined, context: Context): Json {
  if (typeof schema === 'string') return reference(schema, namespace, context);
  if (Array.isArray(schema)) return schema.map((branch) => transform(branch, namespace, context));
  if (!isObject(schema)) return schema;
  const type = schema.type;
  if (typeof type !== 'string' || (!NAMED.has(type) && type !== 'array' && type !== 'map')) {
    // A primitive (or a nested type expression such as {"type": {"type": "int"}}).
    const inner =
      typeof type === 'string'
        ? reference(type, namespace, context)
        : transform(type ?? null, namespace, context);
    const logical: Record<string, Json> = {};
    withLogical(logical, schema, context);
    return Object.keys(logical).length === 0 ? inner : { type: inner, ...logical };
  }
  if (type === 'array') {
    const out: Record<string, Json> = {
      type,
      items: transform(schema.items ?? null, namespace, context),
    };
    withLogical(out, schema, context);
    return out;
  }
  if (type === 'map') {
    const out: Record<string, Json> = {
      type,
      values: transform(schema.values ?? null, namespace, context),
    };
    withLogical(out, schema, context);
    return out;
  }
  const explicitNamespace = typeof schema.namespace === 'string' ? schema.namespace : namespace;
  const fullName = qualify(String(schema.name), explicitNamespace || undefined);
  context.defined.add(fullName);
  const inner = namespaceOf(fullName);
  const out: Record<string, Json> = { name: fullName, type };
  if (type === 'record' || type === 'error') {
    const fields = Array.isArray(schema.fields) ? schema.fields : [];
    out.fields = fields.filter(isObject).map((field) => {
      const canonical: Record<string, Json> = {
        name: field.name ?? null,
        type: transform(field.type ?? null, inner, context),
      };
      if (context.extended) {
        if (field.default !== undefined) canonical.default = field.default;
        if (Array.isArray(field.aliases) && field.aliases.length > 0)
          canonical.aliases = field.aliases;
      }
      return canonical;
    });
  } else if (type === 'enum') {
    out.symbols = schema.symbols ?? [];
    if (context.extended && schema.default !== undefined) out.default = schema.default;
  } else {
    out.size = typeof schema.size === 'string' ? Number(schema.size) : (schema.size ?? null);
  }
  withLogical(out, schema, context);
  if (context.extended && Array.isArray(schema.aliases) && schema.aliases.length > 0) {
    out.aliases = schema.aliases.map((alias) => qualify(String(alias), inner));
  }
  return out;
}

/** The Parsing Canonical Form as a compact JSON string. */
export function parsingCanonicalForm(schema: unknown): string {
  return JSON.stringify(
    transform(schema as Json, undefined, { extended: false, defined: new Set() }),
  );
}

/** The canonical form plus defaults, aliases and logical types: what identity is decided on. */
export function identityForm(schema: unknown): string {
  return JSON.stringify(
    transform(schema as Json, undefined, { extended: true, defined: new Set() }),
  );
}
