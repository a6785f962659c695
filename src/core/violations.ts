/**
 * The violation: what the app logs when a rule is broken, one record per event and rule (built by
 * recording.ts), and the weeks the log counts by. Types and pure numbers only: the UI bundles read it.
 *
 * The words: a *violation* is a logged record; a *nudge* is what the work item's panel shows of one;
 * a *finding* is what the audit says would have been logged.
 */
import type { Mode, RoleKey, RuleId } from './catalogue';

/** What became of a violation. */
export type Outcome =
  | 'flagged'
  | 'refused' // a transition refused by the workflow validator
  | 'reverted' // rank put back, old value restored, or removed from the sprint again
  | 'revert-skipped' // block was due, but the item had moved on since: nothing undone
  | 'unjudgeable'; // the actor's roles could not be resolved: nothing undone on a guess

export type ViolationStatus = 'open' | 'acknowledged';

export interface ViolationRecord {
  /** Stable, idempotent key: `${event key}:${rule}` (see recording.ts). */
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
  /** Jira's text for the values (a status name, a sprint goal), where there is one. */
  readonly fromText: string | null;
  readonly toText: string | null;
  /** The active sprint the work item (or the sprint event) was in. */
  readonly sprintId: string | null;
  readonly status: ViolationStatus;
  readonly ackNote: string | null;
  readonly ackBy: string | null;
  readonly ackAt: string | null;
}

/** The log counts by week number: weeks since Monday 1969-12-29, UTC (1970-01-01 was a Thursday), so weeks start on Monday. */
export const WEEK_MS = 604_800_000;
export const WEEK_OFFSET_MS = 259_200_000;

export function weekNumber(ms: number): number {
  return Math.floor((ms + WEEK_OFFSET_MS) / WEEK_MS);
}

/** The first millisecond of a week (a Monday, 00:00 UTC). */
export function weekStartMs(week: number): number {
  return week * WEEK_MS - WEEK_OFFSET_MS;
}
