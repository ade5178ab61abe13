import { createHash } from 'node:crypto';
import avro from 'avsc';
import { identityForm, parsingCanonicalForm } from './canonical-form';
import { InvalidSchemaError } from './registry.errors';

export type AvroType = avro.Type;

/** A schema that passed Avro's rules, with what identity and resolution need. */
export interface AvroSchema {
  /** The schema as the client sent it, without insignificant whitespace: what readers get back. */
  readonly text: string;
  readonly canonicalForm: string;
  /** Canonical form plus defaults, aliases and logical types (see canonical-form.ts). */
  readonly identity: string;
  /** SHA-256 of `identity`, hex: the unique key a schema id hangs on. */
  readonly fingerprint: string;
  readonly type: AvroType;
}

export const SCHEMA_TYPE_AVRO = 'AVRO';

/*
 * avsc is more lenient than Avro's Java parser (which Confluent uses) in a few
 * places; these options close the gaps: named types must have names (Java
 * rejects anonymous records), and unions stay unwrapped unless ambiguous.
 */
const PARSE_OPTIONS = { noAnonymousTypes: true, wrapUnions: 'auto' } as const;

function readable(message: string): string {
  if (message.startsWith('unknown type: undefined'))
    return 'a schema must be a primitive type name, a JSON object with a "type", or a JSON array (a union)';
  return message;
}

export function parseAvroSchema(text: unknown): AvroSchema {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidSchemaError('Invalid schema: the "schema" field must be a non-empty string', {
      fields: [{ path: 'schema', message: 'required, a JSON string holding an Avro schema' }],
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidSchemaError(`Invalid schema: not JSON (${(error as Error).message})`, {
      fields: [{ path: 'schema', message: 'is not valid JSON' }],
    });
  }
  let type: AvroType;
  try {
    type = avro.Type.forSchema(json as avro.Schema, { ...PARSE_OPTIONS });
  } catch (error) {
    throw new InvalidSchemaError(`Invalid schema: ${readable((error as Error).message)}`, {
      fields: [{ path: 'schema', message: readable((error as Error).message) }],
    });
  }
  const identity = identityForm(json);
  return {
    text: JSON.stringify(json),
    canonicalForm: parsingCanonicalForm(json),
    identity,
    fingerprint: createHash('sha256').update(identity).digest('hex'),
    type,
  };
}

/** Re-parses a stored schema; stored schemas were validated on the way in. */
export function avroTypeOf(text: string): AvroType {
  return avro.Type.forSchema(JSON.parse(text) as avro.Schema, { ...PARSE_OPTIONS });
}
