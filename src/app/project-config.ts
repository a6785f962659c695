/**
 * The config a project is judged by: its own document, else the site-wide defaults; a project with
 * neither is not configured and nothing is judged there (an empty role map would flag everyone).
 * Field ids missing from the document are discovered on the site (custom type, board configuration)
 * and written into the project's own document, so every later event reads them with the config.
 */
import type { FieldIds } from '../core/events';
import { SITE_DEFAULTS_KEY } from './screens/ports';
import type { Clock, ConfigStore, StoredConfig } from './ports';
import type { JiraPort, KeyValueCache } from './enforcement-ports';
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

export async function configInEffect(
  projectKey: string,
  deps: { configs: ConfigStore; jira: JiraPort; cache: KeyValueCache; clock: Clock },
  maxAgeSeconds = 0,
): Promise<ConfigInEffect | null> {
  const read = (key: string): Promise<StoredConfig | null> =>
    maxAgeSeconds > 0 && deps.configs.getRecent !== undefined ? deps.configs.getRecent(key, maxAgeSeconds) : deps.configs.get(key);
  let stored: StoredConfig | null = await read(projectKey);
  const own = stored !== null;
  stored ??= await read(SITE_DEFAULTS_KEY);
  if (stored === null) return null;
  let fields: FieldIds = stored.document.fields;
  if (!complete(fields)) {
    const cacheKey = `fields:${projectKey}`;
    let discovered = await deps.cache.get<FieldIds>(cacheKey);
    if (discovered === undefined) {
      discovered = await deps.jira.discoverFields(projectKey);
      await deps.cache.set(cacheKey, discovered, DISCOVERED_FIELDS_SECONDS);
    }
    fields = merged(fields, discovered);
    if (own && JSON.stringify(fields) !== JSON.stringify(stored.document.fields)) {
      // Kept in the project's own config; losing a race with an admin's save only means trying again next time.
      const saved = await deps.configs.save(projectKey, { ...stored.document, fields }, stored.revision, await deps.jira.appAccountId(), deps.clock.now());
      if (saved.ok) stored = saved.stored;
    }
  }
  await publishedOnce(projectKey, stored, deps);
  return { projectKey, revision: `${stored.projectKey}@${stored.revision}`, document: stored.document, fields, own };
}

/** Projects whose published config this container has seen at the revision in effect. */
const published = new Set<string>();

/**
 * The first time the app meets a configured project (in this container, at this revision) it makes sure
 * the project carries the published config Jira's expression validator reads. A failure is logged and
 * tried again next time: judging the event does not wait on it.
 */
async function publishedOnce(projectKey: string, stored: StoredConfig, deps: { jira: JiraPort; cache: KeyValueCache }): Promise<void> {
  const key = `${projectKey}@${stored.projectKey}@${stored.revision}`;
  if (published.has(key)) return;
  try {
    await ensurePublished(projectKey, stored, deps);
    published.add(key);
  } catch (error) {
    console.warn(`the config of ${projectKey} could not be published yet: ${String(error)}`);
  }
}
