import { CITIZEN_STATE_FIELDS } from '../events/citizen-changed.event';
import { generateProjectionSchema } from '../sharing/projection';
import type { SharingPolicy } from '../sharing/sharing-policy';
import {
  keySubject,
  MASTER_TOPIC,
  SECTORS,
  type Sector,
  sectorOfTopic,
  SHARED_TOPIC_COMPATIBILITY,
  shareTopic,
  valueSubject,
} from '../topics';
import {
  checkChain,
  type CompatibilityLevelName,
  type VersionedSchema,
  whyCannotRead,
} from './avro-compatibility';
import { check, type CheckResult, safely, type Violation } from './contract-report';
import { masterSamples, roundTrip, sectorSamples } from './round-trip';

/** Everything the repo publishes, loaded from schemas/. */
export interface ContractSet {
  readonly master: readonly VersionedSchema[];
  readonly key: readonly VersionedSchema[];
  readonly projections: Readonly<Record<Sector, readonly VersionedSchema[]>>;
  readonly policy: SharingPolicy;
}

type AvroRecord = { fields: { name: string; type: unknown }[]; name?: string };

const LEVEL = SHARED_TOPIC_COMPATIBILITY as CompatibilityLevelName;

function chainCheck(subject: string, versions: readonly VersionedSchema[]): CheckResult {
  const violations: Violation[] = checkChain(versions, LEVEL).flatMap((found) =>
    found.issues.map((issue) => ({
      rule: 'compatibility' as const,
      subject,
      field: issue.path || undefined,
      message:
        found.direction === 'forward'
          ? `${LEVEL}: old reader v${found.older} cannot read data written with v${found.newer}: ${issue.message}`
          : `${LEVEL}: new reader v${found.newer} cannot read data written with v${found.older}: ${issue.message}`,
    })),
  );
  return check(`${subject}: ${versions.length} version(s) satisfy ${LEVEL}`, violations);
}

function policyFieldsCheck(set: ContractSet): CheckResult {
  const master = set.master.at(-1)!.schema as AvroRecord;
  const masterFields = new Map(master.fields.map((f) => [f.name, f]));
  const subject = 'schemas/sharing-policy.json';
  const violations: Violation[] = [];
  const grouped = new Set(Object.values(set.policy.document.fieldGroups).flat());
  for (const field of grouped) {
    if (!masterFields.has(field) || set.policy.envelopeFields.includes(field)) {
      violations.push({
        rule: 'policy-unknown-field',
        subject,
        field,
        message: 'is in a field group but is not a state field of the latest CitizenChanged',
      });
    }
  }
  for (const field of CITIZEN_STATE_FIELDS) {
    if (!grouped.has(field)) {
      violations.push({
        rule: 'policy-unclassified-field',
        subject,
        field,
        message:
          'is a state field of CitizenChanged that no field group classifies; decide who may receive it',
      });
    }
  }
  for (const sector of SECTORS) {
    for (const field of Object.keys(set.policy.sectors[sector].conditions)) {
      const type = masterFields.get(field)?.type;
      if (!(Array.isArray(type) && type.includes('null'))) {
        violations.push({
          rule: 'policy-condition-not-nullable',
          subject,
          field,
          message: `${sector} receives it conditionally, so it must be nullable in the master schema`,
        });
      }
    }
  }
  return check('sharing policy names exactly the master state fields', violations);
}

/**
 * Law 91/2025: a sector may receive a sensitive field only with an explicit legal basis for
 * it, and a basis must not outlive the grant it justified.
 */
export function sensitiveFieldViolations(policy: SharingPolicy): Violation[] {
  const subject = 'schemas/sharing-policy.json';
  const violations: Violation[] = [];
  for (const sector of SECTORS) {
    const grant = policy.sectors[sector];
    for (const field of policy.sensitiveFields) {
      if (grant.fields.has(field) && grant.sensitiveBasis[field] === undefined) {
        violations.push({
          rule: 'policy-sensitive-without-basis',
          subject,
          field,
          message: `sector ${sector} is granted the sensitive field ${field} without an explicit legal basis (sectors.${sector}.sensitiveFieldBasis.${field})`,
        });
      }
    }
    for (const field of Object.keys(grant.sensitiveBasis)) {
      if (!grant.fields.has(field) || !policy.sensitiveFields.has(field)) {
        violations.push({
          rule: 'policy-sensitive-without-basis',
          subject,
          field,
          message: `sector ${sector} has a sensitive-field basis for ${field}, which it is not granted as a sensitive field`,
        });
      }
    }
  }
  return violations;
}

/** The projection's fields and event types against the policy: nothing withheld may appear. */
export function withholdingViolations(
  policy: SharingPolicy,
  sector: Sector,
  subject: string,
  schema: unknown,
): Violation[] {
  const grant = policy.sectors[sector];
  const record = schema as AvroRecord;
  const violations: Violation[] = [];
  for (const field of record.fields) {
    const kept = grant.fields.has(field.name) || field.name in grant.redacted;
    if (!policy.envelopeFields.includes(field.name) && !kept) {
      violations.push({
        rule: 'policy-withholds-field',
        subject,
        field: field.name,
        message: `sharing-policy.json withholds this field from ${sector}, but the projection contains it`,
      });
    }
  }
  const eventType = record.fields.find((f) => f.name === 'eventType')?.type as
    { symbols?: string[] } | undefined;
  for (const symbol of eventType?.symbols ?? []) {
    if (!grant.eventTypes.has(symbol as never)) {
      violations.push({
        rule: 'policy-withholds-event-type',
        subject,
        field: 'eventType',
        message: `sharing-policy.json withholds event type ${symbol} from ${sector}, but the projection's enum contains it`,
      });
    }
  }
  return violations;
}

function sectorChecks(set: ContractSet, sector: Sector): CheckResult[] {
  const subject = valueSubject(shareTopic(sector));
  const versions = set.projections[sector];
  const latest = versions.at(-1)!;
  const generated = generateProjectionSchema(set.master.at(-1)!.schema, set.policy, sector);
  const outOfDate =
    JSON.stringify(latest.schema) === JSON.stringify(generated)
      ? []
      : [
          {
            rule: 'projection-out-of-date' as const,
            subject,
            message: `schemas/projections/${sector}/v${latest.version}.avsc differs from what the policy and the latest master generate; run npm run contracts:check -- --generate`,
          },
        ];
  return [
    chainCheck(subject, versions),
    check(
      `${subject}: v${latest.version} contains nothing the policy withholds from ${sector}`,
      withholdingViolations(set.policy, sector, `${subject} v${latest.version}`, latest.schema),
    ),
    check(`${subject}: v${latest.version} is generated from the policy`, outOfDate),
    check(
      `${subject}: ${sector} reader reads samples of every event type from every writer version`,
      roundTrip(subject, latest.schema, versions, sectorSamples(set.master, set.policy, sector)),
    ),
  ];
}

/** Every check on what the repo publishes. */
export function checkRepository(set: ContractSet): CheckResult[] {
  const masterSubject = valueSubject(MASTER_TOPIC);
  const oldReadersReadLatest = set.master.flatMap((reader) =>
    roundTrip(
      `${masterSubject} (reader v${reader.version})`,
      reader.schema,
      [set.master.at(-1)!],
      masterSamples(),
    ),
  );
  return [
    chainCheck(masterSubject, set.master),
    chainCheck(keySubject(MASTER_TOPIC), set.key),
    check(
      `${masterSubject}: latest reader reads samples of every event type from every writer version`,
      roundTrip(masterSubject, set.master.at(-1)!.schema, set.master, masterSamples()),
    ),
    check(`${masterSubject}: every older reader reads the latest writer`, oldReadersReadLatest),
    policyFieldsCheck(set),
    check(
      'sharing policy grants no sensitive field without an explicit legal basis',
      sensitiveFieldViolations(set.policy),
    ),
    ...SECTORS.flatMap((sector) =>
      safely(`${sector} projection checks`, valueSubject(shareTopic(sector)), () =>
        sectorChecks(set, sector),
      ),
    ),
  ];
}

/** The writer chain the repo publishes for a topic's value subject. */
export function writersOf(set: ContractSet, topic: string): readonly VersionedSchema[] | undefined {
  if (topic === MASTER_TOPIC) return set.master;
  const sector = sectorOfTopic(topic);
  return sector === undefined ? undefined : set.projections[sector];
}

/** A sector team's own reader schema against every writer version of a topic. */
export function checkReader(
  set: ContractSet,
  readerSchema: unknown,
  topic: string,
  writers: readonly VersionedSchema[],
  source: string,
  /** The sector whose share topic this is; derived from the canonical topic name by default. */
  sector: Sector | undefined = sectorOfTopic(topic),
): CheckResult[] {
  const subject = valueSubject(topic);
  const compat: Violation[] = writers.flatMap(({ version, schema }) =>
    whyCannotRead(readerSchema, schema).map((issue) => ({
      rule: 'compatibility' as const,
      subject,
      field: issue.path || undefined,
      message: `your reader cannot read data written with ${source} v${version}: ${issue.message}`,
    })),
  );
  const samples = () =>
    sector === undefined ? masterSamples() : sectorSamples(set.master, set.policy, sector);
  const notes =
    sector === undefined
      ? []
      : withholdingViolations(set.policy, sector, subject, readerSchema).map(
          (v) => `${v.field}: ${sector} never receives it, so your reader always gets its default`,
        );
  return [
    check(
      `${subject}: your reader can resolve every ${source} writer version (${writers.length})`,
      compat,
    ),
    ...safely('round trip', subject, () => [
      check(
        `${subject}: your reader decodes samples of every event type from every writer version`,
        roundTrip(subject, readerSchema, writers, samples()),
        notes,
      ),
    ]),
  ];
}
