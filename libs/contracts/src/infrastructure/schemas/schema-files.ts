import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode, ValidationError } from '@bus/platform';

/**
 * The repo-root `schemas/` folder: src/ and dist/ sit at the same depth, and the build
 * copies schemas/ to dist/schemas, so one relative path works from both.
 */
export const SCHEMAS_DIR = resolve(__dirname, '../../../../../schemas');

export const CITIZEN_CHANGED_SCHEMA_NAME = 'citizen-changed';
export const CITIZEN_CHANGED_KEY_SCHEMA_NAME = 'citizen-changed-key';

export interface SchemaVersionFile {
  readonly version: number;
  readonly file: string;
  readonly schema: unknown;
}

/** Every published version `v<N>.avsc` of a schema, oldest first; numbering must have no gaps. */
export function loadSchemaVersions(name: string, dir: string = SCHEMAS_DIR): SchemaVersionFile[] {
  const folder = join(dir, name);
  if (!existsSync(folder)) {
    throw new ValidationError(ErrorCode.SCHEMA_FILE_NOT_FOUND, `No schema folder ${folder}`);
  }
  const versions = readdirSync(folder)
    .map((file) => ({ file, match: /^v(\d+)\.avsc$/.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({ version: Number(match[1]), file: join(folder, file) }))
    .sort((a, b) => a.version - b.version);
  versions.forEach((entry, index) => {
    if (entry.version !== index + 1) {
      throw new ValidationError(
        ErrorCode.SCHEMA_VERSION_GAP,
        `${folder}: expected v${index + 1}.avsc, found v${entry.version}.avsc (published versions are never deleted)`,
      );
    }
  });
  if (versions.length === 0) {
    throw new ValidationError(ErrorCode.SCHEMA_FILE_NOT_FOUND, `No v<N>.avsc file in ${folder}`);
  }
  return versions.map((entry) => ({ ...entry, schema: readSchemaFile(entry.file) }));
}

export function readSchemaFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ValidationError(ErrorCode.SCHEMA_NOT_JSON, `${file} is not valid JSON`, { cause });
  }
}

const cache = new Map<string, SchemaVersionFile[]>();

/** Cached versions from the shipped schemas/ folder. */
export function shippedSchemaVersions(name: string): readonly SchemaVersionFile[] {
  let versions = cache.get(name);
  if (versions === undefined) {
    versions = loadSchemaVersions(name);
    cache.set(name, versions);
  }
  return versions;
}

/** The latest CitizenChanged schema (what producers write). */
export function citizenChangedSchema(version?: number): unknown {
  const versions = shippedSchemaVersions(CITIZEN_CHANGED_SCHEMA_NAME);
  const found = version === undefined ? versions.at(-1) : versions[version - 1];
  if (found === undefined) {
    throw new ValidationError(
      ErrorCode.SCHEMA_VERSION_NOT_FOUND,
      `CitizenChanged v${version} does not exist`,
    );
  }
  return found.schema;
}

export function citizenChangedKeySchema(): unknown {
  return shippedSchemaVersions(CITIZEN_CHANGED_KEY_SCHEMA_NAME).at(-1)?.schema;
}
