/**
 * Small caches in @forge/kvs: a key-value cache with a time limit (roles, field ids, sprint goals, the
 * board's project), and the app's own knowledge of the backlog order as a custom entity indexed by
 * project and order key, so the old neighbours of an item are one indexed query away.
 */
import { kvs, Sort, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import type { KeyValueCache, RankEntry, RankSnapshot } from '../app/ports';

/** KVS keys allow letters, digits and `:._-#` and spaces; anything else in a key part becomes `_`. */
export function cacheKey(...parts: readonly string[]): string {
  return parts.map((p) => p.replace(/[^a-zA-Z0-9:._\-#]/g, '_')).join(':').slice(0, 500);
}

export class KvsCache implements KeyValueCache {
  async get<T>(key: string): Promise<T | undefined> {
    return kvs.get<T>(cacheKey(key));
  }

  async set(key: string, value: unknown, ttlSeconds: number | null): Promise<void> {
    await kvs.set(cacheKey(key), value, ttlSeconds === null ? undefined : { ttl: { value: Math.max(1, Math.round(ttlSeconds)), unit: 'SECONDS' } });
  }

  async delete(key: string): Promise<void> {
    await kvs.delete(cacheKey(key));
  }
}

export const RANK_ENTITY = 'rank-entry';
export const RANK_INDEX = 'by-project-order';
const SEEDED_PREFIX = 'rank-seeded';

const rankEntrySchema = z.object({
  issueId: z.string(),
  issueKey: z.string(),
  project: z.string(),
  rank: z.string(),
  orderKey: z.string(),
  changelogId: z.string(),
});

function entry(value: unknown, where: string): RankEntry {
  const parsed = rankEntrySchema.safeParse(value);
  if (!parsed.success) throw new Error(`stored rank entry ${where} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The entity key of an item: its issue id (stable across moves and key changes). */
function entityKey(issueId: string): string {
  return cacheKey('issue', issueId);
}

export class KvsRankSnapshot implements RankSnapshot {
  private readonly entity = kvs.entity<RankEntry>(RANK_ENTITY);

  async get(issueId: string): Promise<RankEntry | undefined> {
    const value = await this.entity.get(entityKey(issueId));
    return value === undefined ? undefined : entry(value, issueId);
  }

  async put(value: RankEntry): Promise<void> {
    await this.entity.set(entityKey(value.issueId), value);
  }

  async putMany(values: readonly RankEntry[]): Promise<void> {
    // Batches of 25 keep each request well inside the storage API's limits.
    for (let start = 0; start < values.length; start += 25) {
      const batch = values.slice(start, start + 25).map((value) => ({ entityName: RANK_ENTITY, key: entityKey(value.issueId), value }));
      const result = await kvs.batchSet(batch);
      if (result.failedKeys.length > 0) {
        throw new Error(`storing the order failed for ${result.failedKeys.length} item(s): ${result.failedKeys[0]?.error.message ?? ''}`);
      }
    }
  }

  async neighbours(project: string, orderKey: string, direction: 'after' | 'before', limit: number): Promise<RankEntry[]> {
    const result = await this.entity
      .query()
      .index(RANK_INDEX, { partition: [project] })
      .where(direction === 'after' ? WhereConditions.greaterThan(orderKey) : WhereConditions.lessThan(orderKey))
      .sort(direction === 'after' ? Sort.ASC : Sort.DESC)
      .limit(limit)
      .getMany();
    return result.results.map((r) => entry(r.value, r.key));
  }

  async isSeeded(project: string): Promise<boolean> {
    return (await kvs.get(cacheKey(SEEDED_PREFIX, project))) !== undefined;
  }

  async forgetSeeded(project: string): Promise<void> {
    await kvs.delete(cacheKey(SEEDED_PREFIX, project));
  }

  async markSeeded(project: string): Promise<void> {
    await kvs.set(cacheKey(SEEDED_PREFIX, project), { at: new Date().toISOString() });
  }
}
