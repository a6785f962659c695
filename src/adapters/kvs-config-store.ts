/**
 * The config store on Forge's key-value store: one `project-config` entity per project (and one for
 * the site-wide defaults), saved with a compare-and-set on its revision so two admins saving at once
 * cannot silently overwrite each other.
 *
 * Why an entity: only custom entities take conditions in a KVS transaction; a plain key can only
 * refuse to overwrite (`FAIL_IF_EXISTS`), which covers the first save but not the later ones.
 *
 * What a warm container remembers (getRecent): the configs it read, and one site-wide revision stamp
 * (CONFIG_STAMP_KEY, a few bytes) that every save replaces, in the same transaction as the document. A
 * container reads the stamp at most once per `maxAgeSeconds` and reads a config again only when the
 * stamp has changed since: a save anywhere reaches every container within that time, and the reads do
 * not grow with the number of projects. A project's first save cannot share a transaction with the
 * stamp (only plain writes take FAIL_IF_EXISTS), so "no config" is remembered for
 * UNCONFIGURED_MAX_SECONDS at most.
 */
import { randomUUID } from 'node:crypto';
import { getAppContext } from '@forge/api';
import { Filter, FilterConditions, ForgeKvsAPIError, kvs } from '@forge/kvs';
import { z } from 'zod';
import { ConfigTooLargeError, type Clock, type ConfigStore, type SaveConfigResult, type StoredConfig } from '../app/ports';
import { ConfigError, formatIssues, projectConfigSchema, type BoundaryIssue, type ProjectConfig } from '../core';

export const CONFIG_ENTITY = 'project-config';

/** Forge refuses values over 240 KiB; the store refuses earlier with words an admin understands. */
export const MAX_CONFIG_BYTES = 240 * 1024 - 4 * 1024;

interface ConfigEntity {
  projectKey: string;
  revision: number;
  document: unknown;
  updatedAt: string;
  updatedBy: string;
}

const entitySchema = z.object({
  projectKey: z.string().min(1),
  revision: z.number().int().min(1),
  document: z.unknown(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

const saveRequestSchema = z.object({
  expectedRevision: z.number().int().min(1, { error: 'expected a revision of at least 1' }).nullable(),
  by: z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/, { error: 'expected the account id of whoever saves' }),
  at: z.date().refine((d) => !Number.isNaN(d.getTime()), { error: 'expected a valid Date' }),
});

/** The stored document no longer passes validation: reported, never silently replaced. */
export class StoredConfigInvalidError extends Error {
  constructor(
    readonly projectKey: string,
    readonly revision: number | null,
    readonly issues: readonly BoundaryIssue[],
  ) {
    super(`the stored config of ${projectKey} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'StoredConfigInvalidError';
  }
}

/**
 * Project keys are upper-case letters, digits and `_`; the site defaults use a key no project can
 * take (SITE_DEFAULTS_KEY, "_site-defaults"). Both fit KVS keys (letters, digits and `:._-#`).
 */
const STORE_KEY = /^(?:[A-Z][A-Z0-9_]{0,254}|_site-defaults)$/;

function keyOf(projectKey: string): string {
  if (!STORE_KEY.test(projectKey)) {
    throw new Error(`projectKey: expected a Jira project key such as DEMO (or "_site-defaults"), got ${JSON.stringify(projectKey)}`);
  }
  return `config:${projectKey}`;
}

/** A refused compare-and-set: HTTP 409 (whatever code it carries), or one of the codes known for it. */
function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (error instanceof ForgeKvsAPIError && error.responseDetails.status === 409) return true;
  return code === 'KEY_CONFLICT' || code === 'CONDITION_CHECK_FAILED' || code === 'CONDITIONAL_CHECK_FAILED';
}

/** A plain key every save replaces with a new value: whoever remembers configs sees whether any changed. */
export const CONFIG_STAMP_KEY = 'config-stamp';

/** How long "this project has no config" is believed without reading it again (see the header). */
export const UNCONFIGURED_MAX_SECONDS = 600;

/** One container may serve several installations: what it remembers is kept apart per installation. */
function installationOf(): string {
  const { installationAri, environmentAri } = getAppContext();
  return `${installationAri.installationId}/${environmentAri.environmentId}`;
}

interface Remembered {
  readonly stored: StoredConfig | null;
  readonly readAt: number;
  /** The stamp this container held when it read the config. */
  readonly stamp: string | null;
}

export class KvsConfigStore implements ConfigStore {
  private readonly recent = new Map<string, Remembered>();
  /** Per installation: the stamp last read (one read at a time), and when. */
  private readonly stamps = new Map<string, { readonly value: Promise<string | null>; readonly checkedAt: number }>();

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  async getRecent(projectKey: string, maxAgeSeconds: number): Promise<StoredConfig | null> {
    const installation = installationOf();
    const now = this.clock.now().getTime();
    let checked = this.stamps.get(installation);
    if (checked === undefined || now - checked.checkedAt > maxAgeSeconds * 1000) {
      const value = kvs.get<string>(CONFIG_STAMP_KEY).then((v) => (typeof v === 'string' ? v : null));
      checked = { value, checkedAt: now };
      if (this.stamps.size >= 100) this.stamps.clear();
      this.stamps.set(installation, checked);
      // A failed read is not remembered: the next event reads again.
      value.catch(() => this.stamps.get(installation) === checked && this.stamps.delete(installation));
    }
    const stamp = await checked.value;
    const key = `${installation}/${projectKey}`;
    const known = this.recent.get(key);
    const fresh = known !== undefined && known.stamp === stamp && (known.stored !== null || now - known.readAt <= UNCONFIGURED_MAX_SECONDS * 1000);
    if (fresh) return known.stored;
    const stored = await this.get(projectKey);
    if (this.recent.size >= 1000) this.recent.clear();
    this.recent.set(key, { stored, readAt: now, stamp });
    return stored;
  }

  /** After a save here: this container reads the stamp and the config again on its next event. */
  private forget(projectKey: string): void {
    const installation = installationOf();
    this.recent.delete(`${installation}/${projectKey}`);
    this.stamps.delete(installation);
  }

  async get(projectKey: string): Promise<StoredConfig | null> {
    const raw = await kvs.entity<ConfigEntity>(CONFIG_ENTITY).get(keyOf(projectKey));
    if (raw === undefined) return null;
    const entity = entitySchema.safeParse(raw);
    if (!entity.success) throw new StoredConfigInvalidError(projectKey, null, formatIssues(entity.error.issues));
    const document = projectConfigSchema.safeParse(entity.data.document);
    if (!document.success) throw new StoredConfigInvalidError(projectKey, entity.data.revision, formatIssues(document.error.issues));
    return { projectKey, document: document.data, revision: entity.data.revision, updatedAt: entity.data.updatedAt, updatedBy: entity.data.updatedBy };
  }

  async save(projectKey: string, document: ProjectConfig, expectedRevision: number | null, by: string, at: Date): Promise<SaveConfigResult> {
    // Validated again here: whatever the caller did, nothing invalid is ever written.
    const parsed = projectConfigSchema.safeParse(document);
    if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues));
    const checked = parsed.data;
    const request = saveRequestSchema.safeParse({ expectedRevision, by, at });
    if (!request.success) throw new Error(`config save: ${formatIssues(request.error.issues).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    const next: ConfigEntity = {
      projectKey,
      revision: (expectedRevision ?? 0) + 1,
      document: checked,
      updatedAt: at.toISOString(),
      updatedBy: by,
    };
    const bytes = Buffer.byteLength(JSON.stringify(next), 'utf8');
    if (bytes > MAX_CONFIG_BYTES) throw new ConfigTooLargeError(projectKey, bytes, MAX_CONFIG_BYTES);
    const key = keyOf(projectKey);
    const stamp = randomUUID();
    try {
      if (expectedRevision === null) {
        await kvs.entity<ConfigEntity>(CONFIG_ENTITY).set(key, next, { keyPolicy: 'FAIL_IF_EXISTS' });
      } else {
        await kvs
          .transact()
          .set(key, next, { entityName: CONFIG_ENTITY, conditions: new Filter<ConfigEntity>().and('revision', FilterConditions.equalTo(expectedRevision)) })
          .set(CONFIG_STAMP_KEY, stamp)
          .execute();
      }
    } catch (error) {
      this.forget(projectKey);
      if (!isConflict(error)) throw error;
      // A current document that no longer validates is reported (get throws), never passed off as none.
      return { ok: false, reason: 'conflict', current: await this.get(projectKey) };
    }
    if (expectedRevision === null) {
      // The document is saved; a stamp lost here only delays other containers (UNCONFIGURED_MAX_SECONDS).
      await kvs.set(CONFIG_STAMP_KEY, stamp).catch((error: unknown) => console.warn(`config: saved ${projectKey}, but not the revision stamp: ${String(error)}`));
    }
    // This container judges by the new config from now on.
    this.forget(projectKey);
    return { ok: true, stored: { projectKey, document: checked, revision: next.revision, updatedAt: next.updatedAt, updatedBy: by } };
  }

  /** Every project that has a stored config (for personal data erasure). */
  async projectKeys(): Promise<string[]> {
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      let query = kvs.entity<ConfigEntity>(CONFIG_ENTITY).query().index('by-project').limit(100);
      if (cursor) query = query.cursor(cursor);
      const page = await query.getMany();
      for (const item of page.results) keys.push(item.value.projectKey);
      cursor = page.nextCursor;
    } while (cursor);
    return keys;
  }
}
