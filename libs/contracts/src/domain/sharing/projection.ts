import type {
  CitizenChanged,
  CitizenChangedEnvelope,
  CitizenState,
} from '../events/citizen-changed.event';
import { ageInYearsOn, vietnamDay } from '../civil-time/civil-time';
import { ErrorCode, ValidationError } from '@bus/platform/pure';
import { AVRO_NAMESPACE, projectionRecordName, type Sector } from '../topics';
import type { SharingPolicy } from './sharing-policy';

/** What a sector receives: the envelope and the granted subset of the state. */
export type ProjectedCitizenChanged = CitizenChangedEnvelope & Partial<CitizenState>;

/**
 * The civil date (Vietnam time) on which the sector receives the data: the later of the
 * business time and the recording time. An initial load sets `occurredAt` to the date of
 * birth, so an age taken there would make every loaded adult a newborn; a late
 * registration is disclosed when recorded, not when it happened.
 */
function disclosureDay(event: CitizenChanged): string {
  return vietnamDay(Math.max(event.occurredAt, event.recordedAt));
}

/** A sector's projection compiled from its grant: see `compileProjection`. */
export type SectorProjection = (event: CitizenChanged) => ProjectedCitizenChanged | null;

/** Avro names (the policy's fields are master schema fields): safe to write into code. */
const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The sector's projection as a function compiled once from its grant: one object literal
 * with the sector's fields in a fixed order, so that every projection of a sector has one
 * hidden class and each field is a plain property load from the event, and the age behind
 * conditional fields computed once per event instead of once per field. The plain reading
 * of the policy it replaces (field by field onto `{}`) cost ~10x more CPU per projection:
 * past a dozen keyed stores V8 turns the object into a dictionary, and avsc then read a
 * hash table per field (docs/benchmarks.md, "CPU per event"). The spec checks it against
 * that plain reading for every sector, event type and age.
 */
export function compileProjection(policy: SharingPolicy, sector: Sector): SectorProjection {
  const grant = policy.sectors[sector];
  const fields = [...grant.fields];
  const redacted = Object.entries(grant.redacted);
  for (const name of [...policy.envelopeFields, ...fields, ...redacted.map(([f]) => f)]) {
    if (!AVRO_NAME.test(name)) {
      throw new ValidationError(
        ErrorCode.SHARING_POLICY_INVALID,
        `sector ${sector}: ${JSON.stringify(name)} is not an Avro field name`,
      );
    }
  }
  const members = [
    ...policy.envelopeFields.map((f) => (f === 'changedFields' ? `${f}: c` : `${f}: e.${f}`)),
    ...fields.map((f) => {
      const condition = grant.conditions[f];
      return condition === undefined
        ? `${f}: e.${f} ?? null`
        : `${f}: a < ${Number(condition.onlyIfAgeUnder)} ? e.${f} ?? null : null`;
    }),
    ...redacted.map(([f, value]) => `${f}: ${JSON.stringify(value)}`),
  ];
  // Code from checked Avro names and JSON string literals only (avsc compiles its codecs alike).
  const build = new Function('e', 'c', 'a', `return { ${members.join(', ')} };`) as (
    event: CitizenChanged,
    changedFields: string[],
    age: number,
  ) => ProjectedCitizenChanged;
  const types = grant.eventTypes;
  const received = grant.fields;
  const conditional = Object.keys(grant.conditions).length > 0;
  const receives = (field: string) => received.has(field);
  return (event) => {
    if (!types.has(event.eventType)) return null;
    // NaN (no date of birth, or not a date) fails every `a < limit`: the field is nulled.
    const age = conditional ? ageAtDisclosure(event) : Number.NaN;
    return build(event, event.changedFields.filter(receives), age);
  };
}

/** The citizen's age on the disclosure day; NaN without a date of birth. */
function ageAtDisclosure(event: CitizenChanged): number {
  if (typeof event.dateOfBirth !== 'string') return Number.NaN;
  return ageInYearsOn(event.dateOfBirth, disclosureDay(event));
}

const compiled = new WeakMap<SharingPolicy, Map<Sector, SectorProjection>>();

/** `compileProjection`, once per policy and sector. */
export function projectionOf(policy: SharingPolicy, sector: Sector): SectorProjection {
  let sectors = compiled.get(policy);
  if (sectors === undefined) {
    sectors = new Map();
    compiled.set(policy, sectors);
  }
  let projection = sectors.get(sector);
  if (projection === undefined) {
    projection = compileProjection(policy, sector);
    sectors.set(sector, projection);
  }
  return projection;
}

/**
 * The event as the sector may see it, or null when the sector does not receive this event
 * type. Withheld fields are dropped, conditional fields are nulled when their condition
 * fails, withdrawn (redacted) fields carry their neutral value, and changedFields only
 * names fields the sector receives.
 */
export function projectEvent(
  policy: SharingPolicy,
  sector: Sector,
  event: CitizenChanged,
): ProjectedCitizenChanged | null {
  return projectionOf(policy, sector)(event);
}

type AvroField = { name: string; type: unknown; [key: string]: unknown };
type AvroRecord = { type: 'record'; name: string; namespace?: string; fields: AvroField[] };

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

function fullName(name: string, namespace: string): string {
  return name.includes('.') ? name : `${namespace}.${name}`;
}

/** Collects named type definitions so a reference can be inlined where its definition was dropped. */
function collectNamed(schema: unknown, namespace: string, into: Map<string, object>): void {
  if (Array.isArray(schema)) {
    schema.forEach((s) => collectNamed(s, namespace, into));
    return;
  }
  if (schema === null || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  const ns = typeof s.namespace === 'string' ? s.namespace : namespace;
  if (typeof s.name === 'string' && ['record', 'enum', 'fixed'].includes(s.type as string)) {
    into.set(fullName(s.name, ns), s);
  }
  if (Array.isArray(s.fields))
    (s.fields as AvroField[]).forEach((f) => collectNamed(f.type, ns, into));
  if (s.items !== undefined) collectNamed(s.items, ns, into);
  if (s.values !== undefined) collectNamed(s.values, ns, into);
  if (typeof s.type === 'object') collectNamed(s.type, ns, into);
}

/** Rewrites a field type so each named type is defined at its first use in the projection. */
function materialise(
  schema: unknown,
  namespace: string,
  named: Map<string, object>,
  defined: Set<string>,
): unknown {
  if (typeof schema === 'string') {
    if (PRIMITIVES.has(schema)) return schema;
    const name = fullName(schema, namespace);
    if (defined.has(name)) return schema;
    const definition = named.get(name);
    return definition === undefined ? schema : materialise(definition, namespace, named, defined);
  }
  if (Array.isArray(schema)) return schema.map((s) => materialise(s, namespace, named, defined));
  if (schema === null || typeof schema !== 'object') return schema;
  const s = { ...(schema as Record<string, unknown>) };
  const ns = typeof s.namespace === 'string' ? s.namespace : namespace;
  if (typeof s.name === 'string' && ['record', 'enum', 'fixed'].includes(s.type as string)) {
    const name = fullName(s.name, ns);
    if (defined.has(name)) return s.name;
    defined.add(name);
  }
  if (Array.isArray(s.fields)) {
    s.fields = (s.fields as AvroField[]).map((f) => ({
      ...f,
      type: materialise(f.type, ns, named, defined),
    }));
  }
  if (s.items !== undefined) s.items = materialise(s.items, ns, named, defined);
  if (s.values !== undefined) s.values = materialise(s.values, ns, named, defined);
  if (typeof s.type === 'object') s.type = materialise(s.type, ns, named, defined);
  return s;
}

/**
 * The sector's projection of a master CitizenChanged schema: same namespace, record
 * `<Sector>CitizenChanged`, the envelope plus the granted fields in master order, and the
 * eventType enum narrowed to the granted types.
 */
export function generateProjectionSchema(
  masterSchema: unknown,
  policy: SharingPolicy,
  sector: Sector,
): object {
  const master = masterSchema as AvroRecord;
  const namespace = master.namespace ?? AVRO_NAMESPACE;
  const grant = policy.sectors[sector];
  const named = new Map<string, object>();
  collectNamed(master, namespace, named);
  const defined = new Set<string>([fullName(projectionRecordName(sector), namespace)]);
  const fields = master.fields
    .filter(
      (f) =>
        policy.envelopeFields.includes(f.name) ||
        grant.fields.has(f.name) ||
        f.name in grant.redacted,
    )
    .map((f) => {
      if (f.name !== 'eventType')
        return { ...f, type: materialise(f.type, namespace, named, defined) };
      const enumType = (
        typeof f.type === 'string' ? named.get(fullName(f.type, namespace)) : f.type
      ) as { symbols: string[] };
      defined.add(fullName('CitizenEventType', namespace));
      return {
        ...f,
        type: {
          ...enumType,
          symbols: enumType.symbols.filter((s) => grant.eventTypes.has(s as never)),
        },
      };
    });
  return {
    type: 'record',
    name: projectionRecordName(sector),
    namespace,
    aliases: [`${namespace}.CitizenChanged`],
    doc: `GENERATED from ${namespace}.CitizenChanged by schemas/sharing-policy.json for sector ${sector} (${grant.name}). Do not edit.`,
    fields,
  };
}
