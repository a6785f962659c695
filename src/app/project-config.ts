/**
 * The config a project is judged by: its own document, else the site-wide defaults; a project with
 * neither is not configured and nothing is judged there (an empty role map would flag everyone).
 * Field ids missing from the document are discovered on the site (custom type, board configuration)
 * and written into the project's own document, so every later event reads them with the config.
 */
import type { FieldIds } from '../core/events';
import { MemoryCache } from './memory-cache';
import { SITE_DEFAULTS_KEY, type Clock, type ConfigStore, type JiraPort, type KeyValueCache, type StoredConfig } from './ports';
import { ensurePublished } from './published-config';
import type { ConfigRef } from './roles-service';

/** How long discovered field ids are trusted for a project judged by the site defaults. */
const DISCOVERED_FIELDS_SECONDS = 24 * 3600;

/**
 * How long a warm container judges events by the config it read, before reading it again: a save
 * takes effect at once in the container that made it, and within this time everywhere. Without it every
 * event would read the config (one KVS read each: a busy site's month would be past the free reads).
 */
export const CONFIG_FRESH_SECONDS = 60;

export interface ConfigInEffect extends ConfigRef {
  readonly fields: FieldIds;
  /** Whether the project has its own stored document (else the site defaults are in effect). */
  readonly own: boolean;
}

function complete(fields: FieldIds): boolean {
  return fields.rank !== undefined && fields.sprint !== undefined && fields.estimate !== undefined;
}

function merged(configured: FieldIds, discovered: FieldIds): FieldIds {
  return {
    ...(configured.rank ?? discovered.rank ? { rank: configured.rank ?? discovered.rank } : {}),
    ...(configured.sprint ?? discovered.sprint ? { sprint: configured.sprint ?? discovered.sprint } : {}),
    ...(configured.estimate ?? discovered.estimate ? { estimate: configured.estimate ?? discovered.estimate } : {}),
  };
}

export interface ProjectConfigsDeps {
  readonly configs: ConfigStore;
  readonly jira: JiraPort;
  readonly cache: KeyValueCache;
  readonly clock: Clock;
}

export class ProjectConfigs {
  /** Projects whose published config this container has seen at the revision in effect. */
  private readonly published = new Set<string>();
  private readonly answers: MemoryCache<ConfigInEffect | null>;

  constructor(private readonly deps: ProjectConfigsDeps) {
    this.answers = new MemoryCache(deps.clock);
  }

  /** The config in effect, read through the store's warm read when `maxAgeSeconds` allows. */
  async inEffect(projectKey: string, maxAgeSeconds = 0): Promise<ConfigInEffect | null> {
    const { configs, jira, cache, clock } = this.deps;
    const read = (key: string): Promise<StoredConfig | null> => (maxAgeSeconds > 0 ? configs.getRecent(key, maxAgeSeconds) : configs.get(key));
    let stored: StoredConfig | null = await read(projectKey);
    const own = stored !== null;
    stored ??= await read(SITE_DEFAULTS_KEY);
    if (stored === null) return null;
    let fields: FieldIds = stored.document.fields;
    if (!complete(fields)) {
      const cacheKey = `fields:${projectKey}`;
      let discovered = await cache.get<FieldIds>(cacheKey);
      if (discovered === undefined) {
        discovered = await jira.discoverFields(projectKey);
        await cache.set(cacheKey, discovered, DISCOVERED_FIELDS_SECONDS);
      }
      fields = merged(fields, discovered);
      if (own && JSON.stringify(fields) !== JSON.stringify(stored.document.fields)) {
        // Kept in the project's own config; losing a race with an admin's save only means trying again next time.
        const saved = await configs.save(projectKey, { ...stored.document, fields }, stored.revision, await jira.appAccountId(), clock.now());
        if (saved.ok) stored = saved.stored;
      }
    }
    await this.publishedOnce(projectKey, stored);
    return { projectKey, revision: `${stored.projectKey}@${stored.revision}`, document: stored.document, fields, own };
  }

  /**
   * The whole answer as this container last gave it, for `seconds`, with no storage read at all: for
   * the workflow validator, which Jira waits on before every transition.
   */
  async remembered(projectKey: string, seconds: number): Promise<ConfigInEffect | null> {
    const warm = this.answers.get(projectKey);
    if (warm !== undefined) return warm;
    const config = await this.inEffect(projectKey);
    this.answers.set(projectKey, config, seconds);
    return config;
  }

  /**
   * The first time the app meets a configured project (in this container, at this revision) it makes
   * sure the project carries the published config Jira's expression validator reads. A failure is logged
   * and tried again next time: judging the event does not wait on it.
   */
  private async publishedOnce(projectKey: string, stored: StoredConfig): Promise<void> {
    const key = `${projectKey}@${stored.projectKey}@${stored.revision}`;
    if (this.published.has(key)) return;
    try {
      await ensurePublished(projectKey, stored, this.deps);
      this.published.add(key);
    } catch (error) {
      console.warn(`the config of ${projectKey} could not be published yet: ${String(error)}`);
    }
  }
}
