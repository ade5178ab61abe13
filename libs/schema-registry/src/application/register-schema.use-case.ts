import { parseAvroSchema, SCHEMA_TYPE_AVRO, avroTypeOf } from '../domain/avro-schema';
import { checkCompatibility, versionsToCheck } from '../domain/compatibility.checker';
import { IncompatibleSchemaError, InvalidSchemaError } from '../domain/registry.errors';
import type { RegistryStore } from './registry.store';

/** The body of `POST /subjects/{s}/versions`, as Confluent defines it. */
export interface SchemaRequest {
  readonly schema?: unknown;
  readonly schemaType?: unknown;
  readonly references?: unknown;
}

/** Validates the parts of a request that are not the schema text itself, then parses it. */
export function parseSchemaRequest(body: SchemaRequest | undefined) {
  const request = body ?? {};
  if (
    request.schemaType !== undefined &&
    request.schemaType !== null &&
    request.schemaType !== SCHEMA_TYPE_AVRO
  ) {
    throw new InvalidSchemaError(
      `Invalid schema: schema type '${String(request.schemaType)}' is not supported; this registry serves AVRO only`,
      { fields: [{ path: 'schemaType', message: 'only AVRO is supported' }] },
    );
  }
  if (Array.isArray(request.references) && request.references.length > 0) {
    throw new InvalidSchemaError('Invalid schema: schema references are not supported', {
      fields: [{ path: 'references', message: 'must be empty' }],
    });
  }
  return parseAvroSchema(request.schema);
}

export class RegisterSchemaUseCase {
  constructor(private readonly store: RegistryStore) {}

  /**
   * Everything from the duplicate check to the new version runs under the
   * subject's lock, so the compatibility check sees the versions the new one is
   * appended after, and concurrent identical requests collapse into one version.
   */
  async execute(subject: string, body: SchemaRequest | undefined): Promise<{ id: number }> {
    const schema = parseSchemaRequest(body);
    return this.store.inSubject(subject, async (tx) => {
      const live = await tx.versions(false);
      const existing = live.find((v) => v.fingerprint === schema.fingerprint);
      if (existing) return { id: existing.schemaId };
      const level = await tx.effectiveLevel();
      const previous = versionsToCheck(level, live).map((v) => ({
        version: v.version,
        text: v.schemaText,
        type: avroTypeOf(v.schemaText),
      }));
      const result = checkCompatibility(schema.type, previous, level);
      if (!result.compatible) throw new IncompatibleSchemaError(subject, result.messages);
      const id = await tx.schemaIdFor(schema);
      await tx.addVersion(id);
      return { id };
    });
  }
}
