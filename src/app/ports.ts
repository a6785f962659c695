/**
 * Every port the app's services talk through, and nothing else: Jira (as the app enforces, and as the
 * screens read), the config store, the violation log, the small cache, the rank snapshot, the queues,
 * the clock and the invocation's time, the site settings and Atlassian's personal data reporting.
 *
 * src/adapters implements each one on Forge, and src/entry/container.ts builds them; the sandbox serves
 * the other end of the same wires, and test/fakes holds an in-memory fake of each, held to the real
 * adapter by the same contract tests. Every method is required, so a wrapper cannot drop one unnoticed.
 */
import type { Mode, RoleKey, RuleId } from '../core/catalogue';
import type { ProjectConfig } from '../core/config';
import type { FieldIds, SprintRef } from '../core/events';
import type { JiraChangelogItem } from '../core/jira-shapes';
import type { ItemNow } from '../core/undo';
import type { Outcome, ViolationRecord, ViolationStatus } from '../core/violations';

export interface Clock {
  now(): Date;
}

/** The invocation's own time: how much is left, and a way to wait. */
export interface RunTime {
  remainingMs(): number;
  sleep(ms: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Config (KVS)

export interface StoredConfig {
  readonly projectKey: string;
  readonly document: ProjectConfig;
  /** Increases by one with every save; a save names the revision it started from. */
  readonly revision: number;
  readonly updatedAt: string;
  /** Account id of the admin who saved it. */
  readonly updatedBy: string;
}

export type SaveConfigResult =
  | { readonly ok: true; readonly stored: StoredConfig }
  | { readonly ok: false; readonly reason: 'conflict'; readonly current: StoredConfig | null };

/**
 * Site-wide defaults live in the same store as the projects' documents, under a key no Jira project
 * key can take (project keys are upper-case letters, digits and "_", starting with a letter).
 */
export const SITE_DEFAULTS_KEY = '_site-defaults';

/** The document is valid but too large for the store: long lists of people are the usual cause. */
export class ConfigTooLargeError extends Error {
  constructor(
    readonly projectKey: string,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `the config of ${projectKey} would take ${Math.ceil(bytes / 1024)} KiB, more than the ${Math.floor(limitBytes / 1024)} KiB app storage holds in one entry; name groups or project roles instead of long lists of people`,
    );
    this.name = 'ConfigTooLargeError';
  }
}

export interface ConfigStore {
  get(projectKey: string): Promise<StoredConfig | null>;
  /**
   * The config as this container last read it, if that was at most `maxAgeSeconds` ago (else read
   * now). A save through this store is seen at once; a save elsewhere within `maxAgeSeconds`.
   */
  getRecent(projectKey: string, maxAgeSeconds: number): Promise<StoredConfig | null>;
  /**
   * Atomic compare-and-set: saves only when the stored revision is still `expectedRevision` (null: none
   * stored yet). Throws ConfigError for an invalid document, ConfigTooLargeError for one too large.
   */
  save(projectKey: string, document: ProjectConfig, expectedRevision: number | null, by: string, at: Date): Promise<SaveConfigResult>;
  /** Every key with a stored config (project keys and the site defaults), for personal data erasure. */
  projectKeys(): Promise<readonly string[]>;
}

// ---------------------------------------------------------------------------------------------
// Violation log (SQL)

export interface ViolationFilter {
  readonly projectKey: string;
  readonly rules?: readonly RuleId[];
  readonly actors?: readonly string[];
  readonly roles?: readonly (RoleKey | 'none')[];
  readonly modes?: readonly Exclude<Mode, 'off'>[];
  readonly statuses?: readonly ViolationStatus[];
  readonly issueKey?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface ViolationPageRequest {
  readonly filter: ViolationFilter;
  readonly sort: { readonly by: 'occurredAt' | 'rule' | 'actor' | 'issueKey' | 'status'; readonly direction: 'asc' | 'desc' };
  readonly limit: number;
  /** Opaque cursor from the previous page, or null for the first. */
  readonly cursor: string | null;
}

export interface ViolationPage {
  readonly rows: readonly ViolationRecord[];
  readonly nextCursor: string | null;
  /** Matching entries, counted up to a cap: with `totalIsCapped`, there are more than `total`. */
  readonly total: number;
  readonly totalIsCapped?: boolean;
}

/** A work item's entries in brief: the newest few, and how many there are, open and in all. */
export interface ItemSummary {
  readonly latest: readonly ViolationRecord[];
  readonly total: number;
  readonly openCount: number;
}

/** Counts per rule, and per week (weekNumber), sprint or the actor's roles (none: []) when asked. */
export type ViolationCounts = readonly {
  readonly week?: number;
  readonly sprintId?: string | null;
  readonly roles?: readonly RoleKey[];
  readonly rule: RuleId;
  readonly count: number;
}[];

export interface HeldAccount {
  readonly accountId: string;
  /** When the app last stored something about the account (ISO 8601). */
  readonly updatedAt: string;
}

export interface ViolationLog {
  /** Inserts unless a row with the same id exists; never a second row for a redelivered event. */
  record(violation: ViolationRecord): Promise<'inserted' | 'duplicate'>;
  /** Changes the outcome of an existing row (e.g. flagged -> reverted once the undo succeeded). */
  setOutcome(id: string, outcome: Outcome): Promise<void>;
  page(request: ViolationPageRequest): Promise<ViolationPage>;
  /** The work item's newest `latest` entries with its open and total counts, in one read. */
  summary(projectKey: string, issueKey: string, latest: number): Promise<ItemSummary>;
  /**
   * Entries the filter matches, counted per rule and per each of `by`. With `latestWeeks` (grouping by
   * week), the weeks before the latest that many with entries may be left out.
   */
  counts(filter: ViolationFilter, by: readonly ('week' | 'sprint' | 'roles')[], options?: { readonly latestWeeks?: number }): Promise<ViolationCounts>;
  /** Closes open entries of the project with a note; answers how many changed. */
  acknowledge(ids: readonly string[], projectKey: string, note: string, by: string, at: Date): Promise<number>;
  deleteOlderThan(cutoff: Date): Promise<number>;
  /** Brings the stored totals up to date with the days that are over (the daily job). */
  sealClosedWeeks(now: Date): Promise<{ readonly sealed: number; readonly dropped: number; readonly unfinished: boolean }>;
  /** Personal data reporting: a closed account disappears from the log. */
  eraseAccount(accountId: string): Promise<number>;
  /** Every account id the log holds, with when it last stored something about it, in id order after `after`. */
  accountsAfter(after: string | null, limit: number): Promise<readonly HeldAccount[]>;
}

// ---------------------------------------------------------------------------------------------
// Cache and the rank snapshot (KVS)

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

// ---------------------------------------------------------------------------------------------
// Jira, as the app enforces (asApp; busy answers are retried)

/** What enforcement reads of one work item. */
export interface IssueSnapshot extends ItemNow {
  readonly id: string;
  readonly key: string;
  readonly projectKey: string | null;
  readonly projectId: string | null;
  readonly subtask: boolean;
  readonly statusId: string | null;
  readonly rank: string | null;
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

// ---------------------------------------------------------------------------------------------
// Jira, as the screens read it (the caller's own rights, or the app's after the caller was checked)

export type Caller = 'user' | 'app';

export const PERMISSION_KEYS = ['BROWSE_PROJECTS', 'ADMINISTER_PROJECTS', 'ADMINISTER'] as const;
export type PermissionKey = (typeof PERMISSION_KEYS)[number];

export interface PersonInfo {
  readonly accountId: string;
  readonly displayName: string;
  readonly avatarUrl: string | null;
  readonly active: boolean;
}

export interface SearchedIssue {
  readonly id: string;
  readonly key: string;
  readonly fields: Record<string, unknown>;
}

/** One entry of a work item's history, with Jira's own changelog item fields. */
export interface ChangeHistory {
  readonly id: string;
  readonly created: string;
  readonly author?: { readonly accountId: string } | null | undefined;
  readonly items: readonly JiraChangelogItem[];
}

export interface AgileSprint {
  readonly id: number;
  readonly name?: string | undefined;
  readonly state: string;
  readonly goal?: string | null | undefined;
  readonly startDate?: string | null | undefined;
  readonly endDate?: string | null | undefined;
  readonly completeDate?: string | null | undefined;
  readonly originBoardId?: number | null | undefined;
}

export interface JiraReads {
  /** The caller's own permissions, in a project when one is given (a project they cannot see: none). */
  myPermissions(projectKey: string | null): Promise<Record<PermissionKey, boolean>>;
  /** People a picker offers, as the caller (app and customer accounts left out). */
  searchUsers(query: string): Promise<PersonInfo[]>;
  /** Names for account ids; unknown accounts are simply absent. */
  usersByIds(accountIds: readonly string[], caller: Caller): Promise<PersonInfo[]>;
  /** The app's own account: the author of its undos in Jira's history. */
  appAccountId(): Promise<string>;
  searchGroups(query: string): Promise<{ groupId: string; name: string }[]>;
  /** Names for group ids (ids Jira no longer knows are left out). */
  groupsByIds(groupIds: readonly string[]): Promise<{ groupId: string; name: string }[]>;
  /** Every member of a group (all pages). */
  groupMembers(groupId: string, caller: Caller): Promise<PersonInfo[]>;
  projectRoles(projectKey: string, caller: Caller): Promise<{ id: string; name: string }[]>;
  projectRoleActors(projectKey: string, roleId: string, caller: Caller): Promise<RoleActors>;
  /** Status names by id, of every work item type of the project. */
  statusNames(projectKey: string, caller: Caller): Promise<Map<string, string>>;
  /** Every work item a JQL query finds (all pages, up to `limit`), with the fields asked for. */
  searchIssues(jql: string, fields: readonly string[], caller: Caller, limit?: number): Promise<SearchedIssue[]>;
  /** The changelogs of these work items, by issue id. */
  changelogsOf(issueIds: readonly string[], caller: Caller): Promise<Map<string, ChangeHistory[]>>;
  /** Every sprint of every board of the project, each once. */
  projectSprints(projectKey: string, caller: Caller): Promise<AgileSprint[]>;
  /** The site's rank, sprint and estimate fields, by custom type. */
  agileFieldIds(caller: Caller): Promise<FieldIds>;
}

/** Jira refused a screen's read, or answered what the read does not understand. */
export class JiraReadError extends Error {
  constructor(
    readonly status: number,
    readonly operation: string,
    detail: string,
  ) {
    super(`Jira answered ${status} to ${operation}: ${detail}`);
    this.name = 'JiraReadError';
  }
}

// ---------------------------------------------------------------------------------------------
// Queues

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

// ---------------------------------------------------------------------------------------------
// Site settings, and Atlassian's personal data reporting

export interface SiteSettings {
  /** How long the violation log keeps its rows. */
  readonly retentionDays: number;
}

export interface SiteSettingsStore {
  /** The stored settings, or the defaults when none were saved. */
  get(): Promise<SiteSettings>;
  save(settings: SiteSettings): Promise<SiteSettings>;
}

export interface AccountUpdate {
  readonly accountId: string;
  readonly status: 'updated' | 'closed';
}

/** Atlassian's side (`privacy.reportPersonalData`), called with at most 90 accounts; throws ReportThrottledError on a 429. */
export interface AccountReporter {
  report(accounts: readonly HeldAccount[]): Promise<readonly AccountUpdate[]>;
}

/** Atlassian answered 429: report again after `retryAfterSeconds`. */
export class ReportThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`personal data reporting is busy; retry after ${retryAfterSeconds} s`);
    this.name = 'ReportThrottledError';
  }
}

/** Where the last personal data run stopped (an account id), or null to start from the first. */
export interface ReportCursor {
  get(): Promise<string | null>;
  set(after: string | null): Promise<void>;
}
