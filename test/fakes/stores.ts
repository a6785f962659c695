/**
 * In-memory fakes of the storage ports: the config store, the cache, the rank snapshot, the site
 * settings and the personal data cursor. Values are stored as JSON, as KVS stores them, so a test that
 * mutates what it got back cannot change what is stored. test/fakes/contract.test.ts holds each to the
 * real adapter.
 */
import { randomUUID } from 'node:crypto';
import { MAX_CONFIG_BYTES } from '../../src/adapters/kvs-config-store';
import { ConfigTooLargeError, type Clock, type ConfigStore, type KeyValueCache, type RankEntry, type RankSnapshot, type ReportCursor, type SaveConfigResult, type SiteSettings, type SiteSettingsStore, type StoredConfig } from '../../src/app/ports';
import { ConfigError, formatIssues, projectConfigSchema, type ProjectConfig } from '../../src/core';

const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/**
 * What several containers of one installation share: the stored configs and the revision stamp every
 * save replaces. Each FakeConfigStore is one container's view of it.
 */
export class ConfigBacking {
  readonly documents = new Map<string, StoredConfig>();
  stamp = randomUUID();
  /** Reads of a config or of the stamp, as KVS would count them. */
  reads = 0;
}

export class FakeConfigStore implements ConfigStore {
  private readonly recent = new Map<string, { stored: StoredConfig | null; stamp: string }>();
  private stampCheck: { value: string; at: number } | undefined;

  constructor(
    private readonly clock: Clock,
    readonly backing = new ConfigBacking(),
  ) {}

  async get(projectKey: string): Promise<StoredConfig | null> {
    this.backing.reads++;
    return copy(this.backing.documents.get(projectKey) ?? null);
  }

  /** As the KVS store: the stamp is read at most once per `maxAgeSeconds`, a config again only when it changed. */
  async getRecent(projectKey: string, maxAgeSeconds: number): Promise<StoredConfig | null> {
    const now = this.clock.now().getTime();
    if (this.stampCheck === undefined || now - this.stampCheck.at > maxAgeSeconds * 1000) {
      this.backing.reads++;
      this.stampCheck = { value: this.backing.stamp, at: now };
    }
    const known = this.recent.get(projectKey);
    if (known !== undefined && known.stamp === this.stampCheck.value) return copy(known.stored);
    const stored = await this.get(projectKey);
    this.recent.set(projectKey, { stored, stamp: this.stampCheck.value });
    return stored;
  }

  async save(projectKey: string, document: ProjectConfig, expectedRevision: number | null, by: string, at: Date): Promise<SaveConfigResult> {
    const parsed = projectConfigSchema.safeParse(document);
    if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues));
    const current = this.backing.documents.get(projectKey) ?? null;
    this.recent.delete(projectKey);
    this.stampCheck = undefined;
    if ((current?.revision ?? null) !== expectedRevision) return { ok: false, reason: 'conflict', current: copy(current) };
    const stored: StoredConfig = { projectKey, document: parsed.data, revision: (expectedRevision ?? 0) + 1, updatedAt: at.toISOString(), updatedBy: by };
    const bytes = Buffer.byteLength(JSON.stringify(stored), 'utf8');
    if (bytes > MAX_CONFIG_BYTES) throw new ConfigTooLargeError(projectKey, bytes, MAX_CONFIG_BYTES);
    this.backing.documents.set(projectKey, copy(stored));
    this.backing.stamp = randomUUID();
    return { ok: true, stored: copy(stored) };
  }

  async projectKeys(): Promise<readonly string[]> {
    return [...this.backing.documents.keys()];
  }
}

export class FakeCache implements KeyValueCache {
  readonly entries = new Map<string, { value: unknown; expires: number | null }>();
  /** Makes the next `count` writes fail, as a refused KVS write does. */
  refuseWrites = 0;

  constructor(private readonly clock: Clock) {}

  async get<T>(key: string): Promise<T | undefined> {
    const found = this.entries.get(key);
    if (found === undefined) return undefined;
    if (found.expires !== null && found.expires <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return copy(found.value) as T;
  }

  async set(key: string, value: unknown, ttlSeconds: number | null): Promise<void> {
    if (this.refuseWrites > 0) {
      this.refuseWrites--;
      throw new Error(`the cache refused to write ${key}`);
    }
    this.entries.set(key, { value: copy(value), expires: ttlSeconds === null ? null : this.clock.now().getTime() + Math.max(1, Math.round(ttlSeconds)) * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

export class FakeRankSnapshot implements RankSnapshot {
  readonly entries = new Map<string, RankEntry>();
  readonly seeded = new Set<string>();

  async get(issueId: string): Promise<RankEntry | undefined> {
    return copy(this.entries.get(issueId));
  }

  async put(entry: RankEntry): Promise<void> {
    this.entries.set(entry.issueId, copy(entry));
  }

  async putMany(entries: readonly RankEntry[]): Promise<void> {
    for (const entry of entries) await this.put(entry);
  }

  async neighbours(project: string, orderKey: string, direction: 'after' | 'before', limit: number): Promise<RankEntry[]> {
    const side = [...this.entries.values()].filter((e) => e.project === project && (direction === 'after' ? e.orderKey > orderKey : e.orderKey < orderKey));
    // Equal order keys come in the order of their storage keys (the issue id), as the index answers them.
    const compare = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
    side.sort((a, b) => (compare(a.orderKey, b.orderKey) || compare(a.issueId, b.issueId)) * (direction === 'after' ? 1 : -1));
    return copy(side.slice(0, limit));
  }

  async isSeeded(project: string): Promise<boolean> {
    return this.seeded.has(project);
  }

  async markSeeded(project: string): Promise<void> {
    this.seeded.add(project);
  }

  async forgetSeeded(project: string): Promise<void> {
    this.seeded.delete(project);
  }
}

export class FakeSiteSettings implements SiteSettingsStore {
  stored: SiteSettings | null = null;

  async get(): Promise<SiteSettings> {
    return copy(this.stored ?? { retentionDays: 180 });
  }

  async save(settings: SiteSettings): Promise<SiteSettings> {
    if (!Number.isInteger(settings.retentionDays) || settings.retentionDays < 1 || settings.retentionDays > 3650) {
      throw new Error(`site settings: retentionDays: expected a whole number of days from 1 to 3650`);
    }
    this.stored = copy(settings);
    return copy(settings);
  }
}

export class FakeReportCursor implements ReportCursor {
  after: string | null = null;

  async get(): Promise<string | null> {
    return this.after;
  }

  async set(after: string | null): Promise<void> {
    this.after = after;
  }
}
