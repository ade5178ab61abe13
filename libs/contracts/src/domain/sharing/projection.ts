import type {
  CitizenChanged,
  CitizenChangedEnvelope,
  CitizenState,
} from '../events/citizen-changed.event';
import { ageInYearsOn, vietnamDay } from '../civil-time/civil-time';
import { AVRO_NAMESPACE, projectionRecordName, type Sector } from '../topics';
import type { SectorGrant, SharingPolicy } from './sharing-policy';

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

function conditionHolds(grant: SectorGrant, field: string, event: CitizenChanged): boolean {
  const condition = grant.conditions[field];
  if (condition === undefined) return true;
  if (typeof event.dateOfBirth !== 'string') return false;
  const age = ageInYearsOn(event.dateOfBirth, disclosureDay(event));
  return Number.isFinite(age) && age < condition.onlyIfAgeUnder;
}

/**
 * The event as the sector may see it, or null when the sector does not receive this event
 * type. Withheld fields are dropped, conditional fields are nulled when their condition
 * fails, and changedFields only names fields the sector receives.
 */
export function projectEvent(
  policy: SharingPolicy,
  sector: Sector,
  event: CitizenChanged,
): ProjectedCitizenChanged | null {
  const grant = policy.sectors[sector];
  if (!grant.eventTypes.has(event.eventType)) return null;
  const projected: Record<string, unknown> = {};
  for (const field of policy.envelopeFields) {
    projected[field] = event[field as keyof CitizenChanged];
  }
  for (const field of grant.fields) {
    const value = event[field as keyof CitizenChanged];
    projected[field] = conditionHolds(grant, field, event) ? (value ?? null) : null;
  }
  // Withdrawn fields the schema still has carry the neutral value, never the citizen's.
  for (const [field, value] of Object.entries(grant.redacted)) projected[field] = value;
  projected.changedFields = event.changedFields.filter((f) => grant.fields.has(f));
  return projected as unknown as ProjectedCitizenChanged;
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
