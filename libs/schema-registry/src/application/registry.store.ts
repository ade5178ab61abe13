import type { AvroSchema } from '../domain/avro-schema';
import type { CompatibilityLevel } from '../domain/compatibility-level';

/** One version of a subject, with the schema it points at. */
export interface SubjectVersion {
  readonly subject: string;
  readonly version: number;
  readonly schemaId: number;
  readonly schemaText: string;
  /** Of the schema's identity form; equal fingerprints mean the same schema. */
  readonly fingerprint: string;
  readonly deleted: boolean;
}

export interface StoredSchema {
  readonly id: number;
  readonly schemaType: string;
  readonly text: string;
}

/** Work on one subject while no other process changes it (see the adapter for how). */
export interface SubjectTransaction {
  /** Ordered by version, oldest first. */
  versions(includeDeleted: boolean): Promise<SubjectVersion[]>;
  effectiveLevel(): Promise<CompatibilityLevel>;
  /** The global id of this schema, allocating the next id when it is new to the registry. */
  schemaIdFor(schema: AvroSchema): Promise<number>;
  /** Appends a version after the highest one the subject has ever kept; returns its number. */
  addVersion(schemaId: number): Promise<number>;
  softDelete(versions: readonly number[]): Promise<void>;
  hardDelete(versions: readonly number[]): Promise<void>;
  clearSubjectLevel(): Promise<void>;
}

/** The registry's storage port; the PostgreSQL adapter lives in infrastructure. */
export interface RegistryStore {
  subjects(options: { includeDeleted: boolean; prefix?: string }): Promise<string[]>;
  versions(subject: string, includeDeleted: boolean): Promise<SubjectVersion[]>;
  findInSubject(
    subject: string,
    fingerprint: string,
    includeDeleted: boolean,
  ): Promise<SubjectVersion | undefined>;
  schemaById(id: number): Promise<StoredSchema | undefined>;
  usagesOf(
    schemaId: number,
    includeDeleted: boolean,
  ): Promise<{ subject: string; version: number }[]>;
  /** undefined subject = the global level; undefined result = none set. */
  level(subject?: string): Promise<CompatibilityLevel | undefined>;
  setLevel(level: CompatibilityLevel, subject?: string): Promise<void>;
  deleteLevel(subject?: string): Promise<CompatibilityLevel | undefined>;
  inSubject<T>(subject: string, work: (tx: SubjectTransaction) => Promise<T>): Promise<T>;
  healthy(): Promise<boolean>;
}

export const REGISTRY_STORE = Symbol('RegistryStore');
