/** What the screen services need from the outside, beyond Jira reads: the stores and the clock. */
import type { Clock, ConfigStore, StoredConfig, ViolationLog } from '../ports';
import type { PlatformFacts, ProjectConfig } from '../../core/config';
import type { FieldIds } from '../../core/events';
import type { SettingsSnapshot, ConfigDocument } from '../../shared/resolver-api';

export interface ScreenPorts {
  readonly configs: ConfigStore;
  readonly log: ViolationLog;
  readonly clock: Clock;
  /** What the platform tells about a project, for the settings page's warnings (none when absent). */
  readonly platform?: {
    factsFor(projectKey: string): Promise<PlatformFacts>;
    /** The project's rank, sprint and estimate fields, discovered as enforcement does (its board's estimation field). */
    fieldsFor(projectKey: string): Promise<FieldIds>;
  };
}

/**
 * Site-wide defaults live in the same store as the projects' documents, under a key no Jira project
 * key can take (project keys are upper-case letters, digits and "_", starting with a letter).
 */
export const SITE_DEFAULTS_KEY = '_site-defaults';

export function toDocument(config: ProjectConfig): ConfigDocument {
  return config;
}

export function snapshotOf(stored: StoredConfig | null, fallback: ProjectConfig): SettingsSnapshot {
  return stored
    ? { document: toDocument(stored.document), revision: stored.revision, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy }
    : { document: toDocument(fallback), revision: null, updatedAt: null, updatedBy: null };
}
