import {
  SubjectNotFoundError,
  SubjectNotSoftDeletedError,
  SubjectSoftDeletedError,
  VersionNotFoundError,
  VersionNotSoftDeletedError,
  VersionSoftDeletedError,
} from '../domain/registry.errors';
import { parseVersion } from '../domain/version-spec';
import type { RegistryStore } from './registry.store';

/**
 * Soft delete hides versions but keeps their numbers taken (and their schemas'
 * ids, which are never reused); a permanent delete is allowed only after a soft one.
 */
export class DeleteSubjectUseCase {
  constructor(private readonly store: RegistryStore) {}

  deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.store.inSubject(subject, async (tx) => {
      const all = await tx.versions(true);
      if (all.length === 0) throw new SubjectNotFoundError(subject);
      const live = all.filter((v) => !v.deleted).map((v) => v.version);
      if (permanent) {
        if (live.length > 0) throw new SubjectNotSoftDeletedError(subject);
        const numbers = all.map((v) => v.version);
        await tx.hardDelete(numbers);
        await tx.clearSubjectLevel();
        return numbers;
      }
      if (live.length === 0) throw new SubjectSoftDeletedError(subject);
      await tx.softDelete(live);
      // Confluent drops the subject's own level with a soft delete of the subject.
      await tx.clearSubjectLevel();
      return live;
    });
  }

  deleteVersion(subject: string, rawVersion: string, permanent: boolean): Promise<number> {
    const spec = parseVersion(rawVersion);
    return this.store.inSubject(subject, async (tx) => {
      const all = await tx.versions(true);
      const live = all.filter((v) => !v.deleted);
      if ((permanent ? all : live).length === 0) throw new SubjectNotFoundError(subject);
      const found =
        spec.kind === 'latest'
          ? (permanent ? all : live).at(-1)
          : all.find((v) => v.version === spec.value);
      if (!found) throw new VersionNotFoundError(subject, rawVersion);
      if (permanent) {
        if (!found.deleted) throw new VersionNotSoftDeletedError(subject, found.version);
        await tx.hardDelete([found.version]);
      } else {
        if (found.deleted) throw new VersionSoftDeletedError(subject, found.version);
        await tx.softDelete([found.version]);
      }
      return found.version;
    });
  }
}
