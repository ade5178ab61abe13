import { SchemaNotFoundError, SubjectNotFoundError } from '../domain/registry.errors';
import { parseSchemaRequest, type SchemaRequest } from './register-schema.use-case';
import type { RegistryStore } from './registry.store';

export interface VersionView {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schema: string;
}

/** `POST /subjects/{s}`: is this schema already a version of the subject? */
export class LookupSchemaUseCase {
  constructor(private readonly store: RegistryStore) {}

  async execute(
    subject: string,
    body: SchemaRequest | undefined,
    includeDeleted: boolean,
  ): Promise<VersionView> {
    const schema = parseSchemaRequest(body);
    const found = await this.store.findInSubject(subject, schema.fingerprint, includeDeleted);
    if (found) {
      return { subject, version: found.version, id: found.schemaId, schema: found.schemaText };
    }
    const versions = await this.store.versions(subject, includeDeleted);
    if (versions.length === 0) throw new SubjectNotFoundError(subject);
    throw new SchemaNotFoundError('Schema not found');
  }
}
