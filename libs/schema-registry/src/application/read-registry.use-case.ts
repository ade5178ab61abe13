import { SCHEMA_TYPE_AVRO } from '../domain/avro-schema';
import {
  SchemaNotFoundError,
  SubjectNotFoundError,
  VersionNotFoundError,
} from '../domain/registry.errors';
import { parseVersion } from '../domain/version-spec';
import type { VersionView } from './lookup-schema.use-case';
import type { RegistryStore, StoredSchema, SubjectVersion } from './registry.store';

/** The read side of the REST API: subjects, versions and schemas by id. */
export class ReadRegistryUseCase {
  constructor(private readonly store: RegistryStore) {}

  subjects(includeDeleted: boolean, prefix?: string): Promise<string[]> {
    return this.store.subjects({ includeDeleted, ...(prefix ? { prefix } : {}) });
  }

  async versions(subject: string, includeDeleted: boolean): Promise<number[]> {
    const versions = await this.store.versions(subject, includeDeleted);
    if (versions.length === 0) throw new SubjectNotFoundError(subject);
    return versions.map((v) => v.version);
  }

  async version(
    subject: string,
    rawVersion: string,
    includeDeleted: boolean,
  ): Promise<VersionView> {
    const found = await this.find(subject, rawVersion, includeDeleted);
    return { subject, version: found.version, id: found.schemaId, schema: found.schemaText };
  }

  /** Resolves `{version|latest}` in a subject; shared with deletion and compatibility. */
  async find(
    subject: string,
    rawVersion: string,
    includeDeleted: boolean,
  ): Promise<SubjectVersion> {
    const spec = parseVersion(rawVersion);
    const versions = await this.store.versions(subject, includeDeleted);
    if (versions.length === 0) throw new SubjectNotFoundError(subject);
    const found =
      spec.kind === 'latest' ? versions.at(-1) : versions.find((v) => v.version === spec.value);
    if (!found) throw new VersionNotFoundError(subject, rawVersion);
    return found;
  }

  async schemaById(rawId: string): Promise<StoredSchema> {
    const id = /^\d{1,10}$/.test(rawId) ? Number(rawId) : NaN;
    const schema = Number.isSafeInteger(id) ? await this.store.schemaById(id) : undefined;
    if (!schema)
      throw new SchemaNotFoundError(`Schema ${rawId} not found`, { details: { id: rawId } });
    return schema;
  }

  async subjectsOfSchema(rawId: string, includeDeleted: boolean): Promise<string[]> {
    const schema = await this.schemaById(rawId);
    const usages = await this.store.usagesOf(schema.id, includeDeleted);
    return [...new Set(usages.map((u) => u.subject))];
  }

  async versionsOfSchema(rawId: string, includeDeleted: boolean) {
    const schema = await this.schemaById(rawId);
    return this.store.usagesOf(schema.id, includeDeleted);
  }

  schemaTypes(): string[] {
    return [SCHEMA_TYPE_AVRO];
  }
}
