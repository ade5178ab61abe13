import {
  DEFAULT_COMPATIBILITY_LEVEL,
  parseCompatibilityLevel,
  type CompatibilityLevel,
} from '../domain/compatibility-level';
import { SubjectLevelNotConfiguredError, SubjectNotFoundError } from '../domain/registry.errors';
import type { RegistryStore } from './registry.store';

/** `/config` and `/config/{subject}`. A subject without a level of its own uses the global one. */
export class CompatibilityConfigUseCase {
  constructor(private readonly store: RegistryStore) {}

  async globalLevel(): Promise<CompatibilityLevel> {
    return (await this.store.level()) ?? DEFAULT_COMPATIBILITY_LEVEL;
  }

  async subjectLevel(subject: string, defaultToGlobal: boolean): Promise<CompatibilityLevel> {
    const own = await this.store.level(subject);
    if (own) return own;
    if (defaultToGlobal) return this.globalLevel();
    throw new SubjectLevelNotConfiguredError(subject);
  }

  async set(
    body: { compatibility?: unknown } | undefined,
    subject?: string,
  ): Promise<CompatibilityLevel> {
    const level = parseCompatibilityLevel(body?.compatibility);
    await this.store.setLevel(level, subject);
    return level;
  }

  /** Returns the level that was removed; the global level falls back to the default. */
  async deleteGlobal(): Promise<CompatibilityLevel> {
    return (await this.store.deleteLevel()) ?? DEFAULT_COMPATIBILITY_LEVEL;
  }

  async deleteSubject(subject: string): Promise<CompatibilityLevel> {
    const removed = await this.store.deleteLevel(subject);
    if (removed) return removed;
    const versions = await this.store.versions(subject, false);
    if (versions.length === 0) throw new SubjectNotFoundError(subject);
    throw new SubjectLevelNotConfiguredError(subject);
  }
}
