/**
 * The role map published on the project for Jira itself to read. A workflow validator or condition
 * written as a Jira expression is evaluated by Jira with `user` (who is transitioning), `issue` and
 * `project`, and reads project entity properties: the app keeps two there, written whenever the
 * project's config is saved or changes, and when the app first meets a configured project without them:
 *
 * - `scrum-role-guard-config`: `{ version: 1, revision, config }`, the stored config document (the CLI
 *   reads the same property);
 * - `scrum-role-guard-groups`: `{ version: 1, revision, names }`, the names of the groups the config
 *   names by id, because Jira expressions know a user's groups by name (`user.groups`).
 *
 * An entity property value holds at most 32,768 characters. A config too large for it cannot be read by
 * the expression: while `status-change` is in block mode such a save is refused (name groups or project
 * roles instead of long lists of people); otherwise the property is removed, the expression then lets
 * every transition through, and the settings page says why.
 */
import type { ProjectConfig } from '../core/config';
import { effectiveConfig } from '../core/config';
import { SITE_DEFAULTS_KEY, type ConfigStore, type JiraPort, type KeyValueCache, type SaveConfigResult, type StoredConfig } from './ports';

export const PUBLISHED_CONFIG_PROPERTY = 'scrum-role-guard-config';
export const PUBLISHED_GROUPS_PROPERTY = 'scrum-role-guard-groups';
/** Jira's limit on an entity property value (characters of its JSON). */
export const PROPERTY_VALUE_LIMIT = 32_768;

export interface PublishedConfig {
  readonly version: 1;
  readonly revision: number;
  readonly config: ProjectConfig;
}

/** Characters of the JSON Jira would store; the config holds ASCII ids only, so bytes are no more. */
export function publishedSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

export function publishedValue(config: ProjectConfig, revision: number): PublishedConfig {
  return { version: 1, revision, config };
}

/** The config cannot be published while status-change must block: the save is refused with this. */
export class PublishedConfigTooLargeError extends Error {
  constructor(
    readonly projectKey: string,
    readonly characters: number,
  ) {
    super(
      `the status check Jira runs before each transition reads the Scrum roles from the project, which holds at most ${PROPERTY_VALUE_LIMIT.toLocaleString('en')} characters, and these settings would take ${characters.toLocaleString('en')}; name groups or project roles instead of long lists of people`,
    );
    this.name = 'PublishedConfigTooLargeError';
  }
}

/** Whether publishing `config` for `projectKey` would not fit while status-change blocks. */
export function checkPublishable(projectKey: string, config: ProjectConfig, revision: number): void {
  if (effectiveConfig(config).modes['status-change'] !== 'block') return;
  const size = publishedSize(publishedValue(config, revision));
  if (size > PROPERTY_VALUE_LIMIT) throw new PublishedConfigTooLargeError(projectKey, size);
}

/** What the settings page says about the published config (null when all is well). */
export interface PublishState {
  readonly tooLarge: boolean;
}

const publishStateKey = (projectKey: string): string => `published-config:${projectKey}`;

/**
 * Writes both properties for the stored config (or removes the config property when it cannot fit).
 * Safe to repeat; a property already holding this revision is left alone by the caller's choice.
 */
export async function publishConfig(projectKey: string, stored: Pick<StoredConfig, 'document' | 'revision'>, deps: { jira: JiraPort; cache: KeyValueCache }): Promise<void> {
  const value = publishedValue(stored.document, stored.revision);
  const groupIds = [...new Set(Object.values(stored.document.roles).flatMap((r) => r.groups))];
  const names = groupIds.length > 0 ? await deps.jira.groupNames(groupIds) : {};
  await deps.jira.setProjectProperty(projectKey, PUBLISHED_GROUPS_PROPERTY, { version: 1, revision: stored.revision, names });
  if (publishedSize(value) > PROPERTY_VALUE_LIMIT) {
    await deps.jira.deleteProjectProperty(projectKey, PUBLISHED_CONFIG_PROPERTY);
    await deps.cache.set(publishStateKey(projectKey), { tooLarge: true, revision: stored.revision }, null);
    return;
  }
  await deps.jira.setProjectProperty(projectKey, PUBLISHED_CONFIG_PROPERTY, value);
  await deps.cache.set(publishStateKey(projectKey), { tooLarge: false, revision: stored.revision }, null);
}

export async function publishState(projectKey: string, cache: KeyValueCache): Promise<PublishState | null> {
  const state = await cache.get<{ tooLarge?: unknown }>(publishStateKey(projectKey));
  return state && typeof state === 'object' ? { tooLarge: state.tooLarge === true } : null;
}

/**
 * Makes sure a configured project carries the published config of the revision in effect: the first
 * time the app meets a project without it (installed before publishing existed, or a property someone
 * removed), and after a save the publishing did not reach. One cached look per revision.
 */
export async function ensurePublished(projectKey: string, stored: Pick<StoredConfig, 'document' | 'revision'>, deps: { jira: JiraPort; cache: KeyValueCache }): Promise<void> {
  const state = await deps.cache.get<{ revision?: unknown }>(publishStateKey(projectKey));
  if (state && typeof state === 'object' && state.revision === stored.revision) return;
  const current = await deps.jira.projectProperty(projectKey, PUBLISHED_CONFIG_PROPERTY);
  const revision = typeof current === 'object' && current !== null ? (current as { revision?: unknown }).revision : undefined;
  if (revision === stored.revision) {
    await deps.cache.set(publishStateKey(projectKey), { tooLarge: false, revision: stored.revision }, null);
    return;
  }
  await publishConfig(projectKey, stored, deps);
}

/**
 * A config store that publishes every project config it saves: the settings page, the app's own field
 * discovery and personal data erasure all save through it, so the published copy follows each change.
 * The site defaults are published on each project that uses them when the app meets it. Reads go
 * straight to the store it wraps, the warm one included, so publishing costs the triggers no reads.
 */
export class PublishingConfigStore implements ConfigStore {
  constructor(
    private readonly inner: ConfigStore,
    private readonly deps: { readonly jira: JiraPort; readonly cache: KeyValueCache },
  ) {}

  get(projectKey: string): Promise<StoredConfig | null> {
    return this.inner.get(projectKey);
  }

  getRecent(projectKey: string, maxAgeSeconds: number): Promise<StoredConfig | null> {
    return this.inner.getRecent(projectKey, maxAgeSeconds);
  }

  projectKeys(): Promise<readonly string[]> {
    return this.inner.projectKeys();
  }

  async save(projectKey: string, document: ProjectConfig, expectedRevision: number | null, by: string, at: Date): Promise<SaveConfigResult> {
    if (projectKey !== SITE_DEFAULTS_KEY) checkPublishable(projectKey, document, (expectedRevision ?? 0) + 1);
    const result = await this.inner.save(projectKey, document, expectedRevision, by, at);
    if (result.ok && projectKey !== SITE_DEFAULTS_KEY) {
      try {
        await publishConfig(projectKey, result.stored, this.deps);
      } catch (error) {
        // Saved all the same: the next event or page of this project publishes it (ensurePublished).
        console.warn(`the config of ${projectKey} (revision ${result.stored.revision}) was saved but not yet published: ${String(error)}`);
      }
    }
    return result;
  }
}
