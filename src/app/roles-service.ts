/**
 * Who the actor is in the project's Scrum roles, through Jira (groups, project role actors) and the
 * core's resolveRoles. Answers are cached for a time limit, in memory (the resolver lives as long as the
 * warm container) and in KVS (for the next container); the config's revision is part of every key, so a
 * saved config is never judged with roles resolved against the one before it.
 */
import { ROLE_KEYS, type RoleKey } from '../core/catalogue';
import { directMembership, needsDirectory, resolveRoles, type ActorRoles } from '../core/roles';
import type { ProjectConfig } from '../core/config';
import type { Clock, JiraPort, KeyValueCache, RoleActors } from './ports';
import { MemoryCache } from './memory-cache';

export const ROLE_CACHE_SECONDS = 300;

export interface ConfigRef {
  readonly projectKey: string;
  /** Which stored document and revision this is (e.g. `DEMO@7`, or `_site-defaults@2`): part of every cache key. */
  readonly revision: string;
  readonly document: ProjectConfig;
}

export class RoleResolver {
  private readonly memory: MemoryCache<RoleKey[]>;
  private readonly actorsMemory: MemoryCache<RoleActors>;

  constructor(
    private readonly jira: JiraPort,
    private readonly cache: KeyValueCache,
    private readonly clock: Clock,
    private readonly ttlSeconds = ROLE_CACHE_SECONDS,
  ) {
    this.memory = new MemoryCache(clock);
    this.actorsMemory = new MemoryCache(clock);
  }

  async rolesOf(config: ConfigRef, accountId: string): Promise<ActorRoles> {
    const need = needsDirectory(config.document);
    // A config that names users only needs no look-up at all.
    if (!need.groups && !need.projectRoles) return resolveRoles(config.document, directMembership(accountId));
    const key = `roles:${config.projectKey}:${config.revision}:${accountId}`;
    const warm = this.memory.get(key);
    if (warm) return new Set(warm);
    const stored = await this.cache.get<unknown>(key);
    if (Array.isArray(stored) && stored.every((r) => (ROLE_KEYS as readonly unknown[]).includes(r))) {
      this.memory.set(key, stored as RoleKey[], this.ttlSeconds);
      return new Set(stored as RoleKey[]);
    }
    const groupIds = await this.jira.groupsOf(accountId);
    const projectRoleIds: string[] = [];
    const roleIds = new Set(ROLE_KEYS.flatMap((r) => config.document.roles[r].projectRoles));
    for (const roleId of roleIds) {
      const actors = await this.actorsOf(config, roleId);
      if (actors.users.includes(accountId) || actors.groups.some((g) => groupIds.includes(g))) projectRoleIds.push(roleId);
    }
    const roles = resolveRoles(config.document, { accountId, groupIds, projectRoleIds });
    const list = ROLE_KEYS.filter((r) => roles.has(r));
    this.memory.set(key, list, this.ttlSeconds);
    await this.cache.set(key, list, this.ttlSeconds);
    return roles;
  }

  private async actorsOf(config: ConfigRef, roleId: string): Promise<RoleActors> {
    const key = `role-actors:${config.projectKey}:${config.revision}:${roleId}`;
    const warm = this.actorsMemory.get(key);
    if (warm) return warm;
    const actors = await this.jira.projectRoleActors(config.projectKey, roleId);
    this.actorsMemory.set(key, actors, this.ttlSeconds);
    return actors;
  }
}
