/**
 * The ports the app's services talk through. One adapter set implements them on Forge
 * (src/adapters); the sandbox provides the other ends of the same wires, so the same adapters run in tests.
 */
import type { Mode, RoleKey, RuleId } from '../core/catalogue';
import type { ProjectConfig } from '../core/config';

export interface Clock {
  now(): Date;
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

export interface ConfigStore {
  get(projectKey: string): Promise<StoredConfig | null>;
  /**
   * The config as this container last read it, if that was at most `maxAgeSeconds` ago (else read
   * now). A save through this store is seen at once; a save elsewhere within `maxAgeSeconds`. A store
   * without it is read every time.
   */
  getRecent?(projectKey: string, maxAgeSeconds: number): Promise<StoredConfig | null>;
  /** Atomic compare-and-set: saves only when the stored revision is still `expectedRevision` (null: none stored yet). */
  save(projectKey: string, document: ProjectConfig, expectedRevision: number | null, by: string, at: Date): Promise<SaveConfigResult>;
}

// ---------------------------------------------------------------------------------------------
// Violation log (SQL)

/** What became of a violation. */
export type Outcome =
  | 'flagged'
  | 'refused' // a transition refused by the workflow validator
  | 'reverted' // rank put back, old value restored, or removed from the sprint again
  | 'revert-skipped' // block was due, but the item had moved on since: nothing undone
  | 'unjudgeable'; // the actor's roles could not be resolved: nothing undone on a guess

export type ViolationStatus = 'open' | 'acknowledged';

export interface ViolationRecord {
  /** Stable, idempotent key: `${changelogId or event key}:${rule}`. */
  readonly id: string;
  readonly occurredAt: string;
  readonly projectKey: string;
  readonly issueKey: string | null;
  readonly issueId: string | null;
  readonly actor: string;
  readonly actorRoles: readonly RoleKey[];
  readonly rule: RuleId;
  readonly mode: Exclude<Mode, 'off'>;
  readonly outcome: Outcome;
  readonly fromValue: string | null;
  readonly toValue: string | null;
  readonly fromText: string | null;
  readonly toText: string | null;
  readonly sprintId: string | null;
  readonly status: ViolationStatus;
  readonly ackNote: string | null;
  readonly ackBy: string | null;
  readonly ackAt: string | null;
}

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

/** Counts group by week number: weeks since Monday 1969-12-29, UTC (1970-01-01 was a Thursday), so weeks start on Monday. */
export const WEEK_MS = 604_800_000;
export const WEEK_OFFSET_MS = 259_200_000;

export function weekNumber(ms: number): number {
  return Math.floor((ms + WEEK_OFFSET_MS) / WEEK_MS);
}

/** The first millisecond of a week (a Monday, 00:00 UTC). */
export function weekStartMs(week: number): number {
  return week * WEEK_MS - WEEK_OFFSET_MS;
}

/** Counts per rule, and per week (weekNumber), sprint or the actor's roles (none: []) when asked. */
export type ViolationCounts = readonly {
  readonly week?: number;
  readonly sprintId?: string | null;
  readonly roles?: readonly RoleKey[];
  readonly rule: RuleId;
  readonly count: number;
}[];

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
  countsByRuleAndSprint(filter: ViolationFilter): Promise<readonly { rule: RuleId; sprintId: string | null; count: number }[]>;
  acknowledge(ids: readonly string[], projectKey: string, note: string, by: string, at: Date): Promise<number>;
  deleteOlderThan(cutoff: Date): Promise<number>;
  /** Brings the stored totals up to date with the days that are over (the daily job). */
  sealClosedWeeks(now: Date): Promise<{ readonly sealed: number; readonly dropped: number; readonly unfinished: boolean }>;
  /** Personal data reporting: a closed account disappears from the log. */
  eraseAccount(accountId: string): Promise<number>;
}
