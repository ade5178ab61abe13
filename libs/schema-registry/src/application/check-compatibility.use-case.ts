import { avroTypeOf } from '../domain/avro-schema';
import { checkCompatibility, versionsToCheck } from '../domain/compatibility.checker';
import { DEFAULT_COMPATIBILITY_LEVEL } from '../domain/compatibility-level';
import { VersionNotFoundError } from '../domain/registry.errors';
import { parseVersion } from '../domain/version-spec';
import { parseSchemaRequest, type SchemaRequest } from './register-schema.use-case';
import type { RegistryStore } from './registry.store';

export interface CompatibilityAnswer {
  readonly is_compatible: boolean;
  readonly messages?: readonly string[];
}

/**
 * `POST /compatibility/subjects/{s}/versions[/{v}]`. With a version, the check
 * runs against that one version in the level's direction(s); without, against
 * the live versions the level names (latest, or all for transitive levels).
 * As in Confluent 7.x, an empty subject is compatible with anything when asked
 * against "latest" or the level, and a missing numbered version is a 40402.
 */
export class CheckCompatibilityUseCase {
  constructor(private readonly store: RegistryStore) {}

  async execute(
    subject: string,
    rawVersion: string | undefined,
    body: SchemaRequest | undefined,
    verbose: boolean,
  ): Promise<CompatibilityAnswer> {
    const spec = rawVersion === undefined ? undefined : parseVersion(rawVersion);
    const schema = parseSchemaRequest(body);
    const live = await this.store.versions(subject, false);
    let against = live;
    if (spec?.kind === 'number') {
      const found = live.find((v) => v.version === spec.value);
      if (!found) throw new VersionNotFoundError(subject, spec.value);
      against = [found];
    } else if (spec?.kind === 'latest') {
      against = live.slice(-1);
    }
    const level =
      (await this.store.level(subject)) ??
      (await this.store.level()) ??
      DEFAULT_COMPATIBILITY_LEVEL;
    const previous = versionsToCheck(level, against).map((v) => ({
      version: v.version,
      text: v.schemaText,
      type: avroTypeOf(v.schemaText),
    }));
    const result = checkCompatibility(schema.type, previous, level);
    return verbose
      ? { is_compatible: result.compatible, messages: result.messages }
      : { is_compatible: result.compatible };
  }
}
