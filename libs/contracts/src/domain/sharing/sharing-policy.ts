import { z } from 'zod';
import { ErrorCode, ValidationError } from '@bus/platform/pure';
import {
  CITIZEN_ENVELOPE_FIELDS,
  CITIZEN_EVENT_TYPES,
  type CitizenEventType,
} from '../events/citizen-changed.event';
import { SECTORS, type Sector } from '../topics';

export const DELIVERY_MODES = ['all', 'followed'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

const conditionSchema = z.object({ onlyIfAgeUnder: z.number().int().positive() }).strict();

const sensitiveBasisSchema = z
  .object({ legalBasis: z.array(z.string().min(1)).min(1), why: z.string().min(1) })
  .strict();

const redactionSchema = z.object({ value: z.string(), why: z.string().min(1) }).strict();

const sectorPolicySchema = z
  .object({
    name: z.string().min(1),
    purpose: z.string().min(1),
    legalBasis: z.array(z.string().min(1)).min(1),
    fieldGroups: z.array(z.string().min(1)),
    fields: z.array(z.string().min(1)).optional(),
    conditionalFields: z.record(z.string(), conditionSchema).optional(),
    /** For each sensitive field the sector receives: the law that needs it, and why. */
    sensitiveFieldBasis: z.record(z.string(), sensitiveBasisSchema).optional(),
    /**
     * Fields withdrawn from the sector that its published projection must keep (an Avro
     * field without a default cannot leave a FULL_TRANSITIVE chain): always sent as `value`.
     */
    redactedFields: z.record(z.string(), redactionSchema).optional(),
    eventTypes: z.array(z.enum(CITIZEN_EVENT_TYPES)),
    /**
     * `all`: the sector receives its events about every citizen; `followed`: only about the
     * citizens on its follow-list (the Dutch BRP's afnemersindicatie, docs/ledger.md).
     */
    delivery: z.enum(DELIVERY_MODES).default('all'),
    /** For `followed`: event types that put the citizen on the follow-list by themselves. */
    followStartedBy: z.array(z.enum(CITIZEN_EVENT_TYPES)).optional(),
    changesFromDefaults: z.array(z.object({ what: z.string(), why: z.string().min(1) })),
  })
  .strict();

const policySchema = z.object({
  $comment: z.string().optional(),
  policyVersion: z.number().int().positive(),
  masterSchema: z.string().min(1),
  commonLegalBasis: z.array(z.string()),
  envelope: z.object({ fields: z.array(z.string()), why: z.string() }),
  fieldGroups: z.record(z.string(), z.array(z.string().min(1))),
  /** Special categories of personal data (Law 91/2025): field -> why it is sensitive. */
  sensitiveFields: z.record(z.string(), z.string().min(1)).default({}),
  sectors: z.partialRecord(z.enum(SECTORS), sectorPolicySchema),
});

export type SharingPolicyDocument = z.infer<typeof policySchema>;
export type SectorPolicyDocument = z.infer<typeof sectorPolicySchema>;

export interface SensitiveFieldBasis {
  readonly legalBasis: readonly string[];
  readonly why: string;
}

export interface FieldCondition {
  /** The field is sent only while the citizen is younger than this on the Vietnam civil date of the later of occurredAt and recordedAt. */
  readonly onlyIfAgeUnder: number;
}

/** One sector's resolved grant: which event types and state fields it receives. */
export interface SectorGrant {
  readonly sector: Sector;
  readonly name: string;
  readonly purpose: string;
  readonly legalBasis: readonly string[];
  readonly eventTypes: ReadonlySet<CitizenEventType>;
  /** State fields (not envelope) the sector receives. */
  readonly fields: ReadonlySet<string>;
  readonly conditions: Readonly<Record<string, FieldCondition>>;
  /** The explicit legal basis of each sensitive field the sector receives. */
  readonly sensitiveBasis: Readonly<Record<string, SensitiveFieldBasis>>;
  /** Withdrawn fields the projection keeps for compatibility: field -> the value always sent. */
  readonly redacted: Readonly<Record<string, string>>;
  /** Every citizen, or only those on the sector's follow-list. */
  readonly delivery: DeliveryMode;
  /** Event types that start a follow by themselves (only for `followed`). */
  readonly followStartedBy: ReadonlySet<CitizenEventType>;
}

export interface SharingPolicy {
  readonly document: SharingPolicyDocument;
  readonly envelopeFields: readonly string[];
  readonly sensitiveFields: ReadonlySet<string>;
  readonly sectors: Readonly<Record<Sector, SectorGrant>>;
}

/**
 * Parses and resolves the policy (field groups expanded). Structural mistakes (unknown
 * group, missing sector, unknown event type) fail here with field-level messages; whether
 * the fields exist in the master schema is a contract check.
 */
export function parseSharingPolicy(raw: unknown): SharingPolicy {
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError(
      ErrorCode.SHARING_POLICY_INVALID,
      'sharing-policy.json is malformed',
      {
        fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    );
  }
  const document = parsed.data;
  const issues: { path: string; message: string }[] = [];
  const sectors = {} as Record<Sector, SectorGrant>;
  for (const sector of SECTORS) {
    const doc = document.sectors[sector];
    if (doc === undefined) {
      issues.push({ path: `sectors.${sector}`, message: 'missing: every sector needs a policy' });
      continue;
    }
    const fields = new Set<string>(doc.fields ?? []);
    for (const group of doc.fieldGroups) {
      const members = document.fieldGroups[group];
      if (members === undefined) {
        issues.push({
          path: `sectors.${sector}.fieldGroups`,
          message: `unknown field group ${group}`,
        });
      } else {
        members.forEach((f) => fields.add(f));
      }
    }
    for (const field of Object.keys(doc.conditionalFields ?? {})) {
      if (!fields.has(field)) {
        issues.push({
          path: `sectors.${sector}.conditionalFields.${field}`,
          message: 'a condition on a field the sector does not receive',
        });
      }
    }
    const startedBy = doc.followStartedBy ?? [];
    if (startedBy.length > 0 && doc.delivery !== 'followed') {
      issues.push({
        path: `sectors.${sector}.followStartedBy`,
        message: 'only a sector with delivery "followed" has events that start a follow',
      });
    }
    for (const type of startedBy) {
      if (!doc.eventTypes.includes(type)) {
        issues.push({
          path: `sectors.${sector}.followStartedBy`,
          message: `${type} starts a follow but the sector does not receive it`,
        });
      }
    }
    const redacted = Object.fromEntries(
      Object.entries(doc.redactedFields ?? {}).map(([field, r]) => [field, r.value]),
    );
    for (const field of Object.keys(redacted)) fields.delete(field);
    sectors[sector] = {
      sector,
      name: doc.name,
      purpose: doc.purpose,
      legalBasis: [...document.commonLegalBasis, ...doc.legalBasis],
      eventTypes: new Set(doc.eventTypes),
      fields,
      conditions: doc.conditionalFields ?? {},
      sensitiveBasis: doc.sensitiveFieldBasis ?? {},
      redacted,
      delivery: doc.delivery,
      followStartedBy: new Set(startedBy),
    };
  }
  const envelope = [...CITIZEN_ENVELOPE_FIELDS] as string[];
  if (document.envelope.fields.join() !== envelope.join()) {
    issues.push({
      path: 'envelope.fields',
      message: `must be exactly ${envelope.join(', ')}`,
    });
  }
  if (issues.length > 0) {
    throw new ValidationError(
      ErrorCode.SHARING_POLICY_INVALID,
      'sharing-policy.json is inconsistent',
      {
        fields: issues,
      },
    );
  }
  return {
    document,
    envelopeFields: envelope,
    sensitiveFields: new Set(Object.keys(document.sensitiveFields)),
    sectors,
  };
}
