/**
 * The ports enforcement talks through besides the config store and the violation log (src/app/ports.ts):
 * Jira as the app sees it, a small key-value cache, the rank snapshot and the queue. The Forge adapters
 * in src/adapters implement them; the sandbox serves the other end of the same wires in tests.
 */
import type { FieldIds, SprintRef } from '../core/events';

/** What enforcement reads of one work item. */
export interface IssueSnapshot {
  readonly id: string;
  readonly key: string;
  readonly projectKey: string | null;
  readonly projectId: string | null;
  readonly subtask: boolean;
  readonly statusId: string | null;
  readonly rank: string | null;
  /** Sprints the item is in (with their state), or null when the site's sprint field is unknown. */
  readonly sprints: readonly SprintRef[] | null;
  readonly estimate: number | null;
  readonly priorityId: string | null;
  readonly assigneeId: string | null;
  /** Ids of the changelogs that touched each watched field id, when the changelog was asked for. */
  readonly changelog: readonly { readonly id: string; readonly fieldIds: readonly string[] }[] | null;
  /** The app's own issue property (the panel's summary), when it exists. */
  readonly summaryProperty: unknown;
}

export interface RoleActors {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

export type RankAnchor = { readonly before: string } | { readonly after: string };

export interface JiraPort {
  /** The item with the watched fields; null when it no longer exists or the app cannot see it. */
  readIssue(issueKeyOrId: string, fields: FieldIds, options: { readonly changelog: boolean }): Promise<IssueSnapshot | null>;
  /** The sprints an item is in, from the Agile API (for sites whose sprint field is not known). */
  agileSprints(issueKeyOrId: string): Promise<SprintRef[] | null>;
  /** Field ids by custom type (rank, sprint) and by the board's estimation configuration (estimate). */
  discoverFields(projectKey: string): Promise<FieldIds>;
  /** Group ids the account belongs to. */
  groupsOf(accountId: string): Promise<string[]>;
  projectRoleActors(projectKey: string, roleId: string): Promise<RoleActors>;
  /** The project key a board belongs to (sprint events name the board only). */
  boardProjectKey(boardId: string): Promise<string | null>;
  /** Current rank values of the items named, by issue key (missing items are left out). */
  currentRanks(issueKeys: readonly string[], rankFieldId: string): Promise<Map<string, { id: string; rank: string | null }>>;
  /** Every item of the project in rank order, with its rank value (for seeding the snapshot). */
  rankOrder(projectKey: string, rankFieldId: string): Promise<{ id: string; key: string; rank: string }[]>;
  rank(issueKey: string, anchor: RankAnchor, rankFieldId: string | undefined): Promise<void>;
  editFields(issueKey: string, fields: Readonly<Record<string, unknown>>): Promise<void>;
  moveToBacklog(issueKeys: readonly string[]): Promise<void>;
  setIssueProperty(issueKey: string, propertyKey: string, value: unknown): Promise<void>;
  /** The app's own account id (its changes are never judged). */
  appAccountId(): Promise<string>;
  /** A project entity property's value, or undefined when there is none. */
  projectProperty(projectKey: string, propertyKey: string): Promise<unknown>;
  setProjectProperty(projectKey: string, propertyKey: string, value: unknown): Promise<void>;
  /** Removes the property; nothing happens when there is none. */
  deleteProjectProperty(projectKey: string, propertyKey: string): Promise<void>;
  /** Whether the project is company-managed (classic) or team-managed (next-gen); null when unknown. */
  projectStyle(projectKey: string): Promise<'company-managed' | 'team-managed' | null>;
  /** The names of the groups with these ids (ids Jira no longer knows are left out). */
  groupNames(groupIds: readonly string[]): Promise<Record<string, string>>;
}

/** Jira is busy or failing (429, 5xx, time-out): worth a retry, after `retryAfterSeconds`. */
export class JiraUnavailableError extends Error {
  constructor(
    readonly status: number | null,
    readonly operation: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`Jira ${status === null ? 'did not answer' : `answered ${status}`} to ${operation}; retry after ${retryAfterSeconds} s`);
    this.name = 'JiraUnavailableError';
  }
}

/** Jira refused or answered something unexpected: a retry would not help. */
export class JiraRequestError extends Error {
  constructor(
    readonly status: number,
    readonly operation: string,
    detail: string,
  ) {
    super(`Jira answered ${status} to ${operation}: ${detail}`);
    this.name = 'JiraRequestError';
  }
}

/** A small cache with a time limit (KVS on Forge). */
export interface KeyValueCache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number | null): Promise<void>;
  delete(key: string): Promise<void>;
}

/** One work item in the app's own knowledge of the order. */
export interface RankEntry {
  readonly issueId: string;
  readonly issueKey: string;
  readonly project: string;
  /** The rank value Jira last had for the item, as far as the app knows. */
  readonly rank: string;
  /**
   * Where the item belongs in the order: its rank value, except after the app put it back, when it keeps
   * the value it had before the forbidden move (so items put back one by one keep their old relative order).
   */
  readonly orderKey: string;
  /** The newest changelog id the entry reflects ("0" when seeded from Jira). */
  readonly changelogId: string;
}

export interface RankSnapshot {
  get(issueId: string): Promise<RankEntry | undefined>;
  put(entry: RankEntry): Promise<void>;
  putMany(entries: readonly RankEntry[]): Promise<void>;
  /** Entries next to `orderKey` in the project's order: `after` ascending, `before` descending. */
  neighbours(project: string, orderKey: string, direction: 'after' | 'before', limit: number): Promise<RankEntry[]>;
  isSeeded(project: string): Promise<boolean>;
  markSeeded(project: string): Promise<void>;
  /** The project's order is no longer trusted: the next watched rank event seeds it again from Jira. */
  forgetSeeded(project: string): Promise<void>;
}

export interface EventQueue {
  /**
   * Events sharing a concurrency key are handled one at a time. Throws QueueFullError naming the bodies
   * the queue did not take (everything else was taken).
   */
  push(bodies: readonly Record<string, unknown>[], concurrencyKey?: string): Promise<void>;
}

/** The queue did not take `notTaken` (over its per-minute limit, or too big): push them again later. */
export class QueueFullError extends Error {
  constructor(
    readonly notTaken: readonly Record<string, unknown>[],
    readonly retryAfterSeconds: number,
    readonly reason: 'rate-limited' | 'partly-taken' | 'too-big',
  ) {
    super(`the queue did not take ${notTaken.length} event(s) (${reason})`);
    this.name = 'QueueFullError';
  }
}
