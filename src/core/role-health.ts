/**
 * Role health: who, by Scrum role, carried each accountability in each sprint. Pure: the replay
 * (src/app/audit.ts `replayIssueChanges`) hands over each change the engine normalised with the
 * actor's roles; this module classifies it, files it under the sprint whose time window holds it,
 * and builds the figures, the off-role cells with their coaching reasons, the Scrum Master's
 * clerical work and the drill-down records.
 */
import { ACCOUNTABILITIES, ACCOUNTABILITY_LABELS, ACCOUNTABILITY_RULE, bucketOf, classifyChange, HEALTH_BUCKETS, isOnRole, type Accountability, type HealthBucket } from './accountability';
import { RULES, type RoleKey } from './catalogue';
import { listWords, ROLE_IN_SENTENCE } from './wording';
import type { DomainEvent, FieldChange } from './events';

export type ActionCounts = Record<Accountability, Record<HealthBucket, number>>;

/** One change behind a cell: what the drill-down lists. */
export interface HealthAction {
  readonly at: string;
  readonly issueKey: string;
  readonly actor: string;
  readonly accountability: Accountability;
  readonly bucket: HealthBucket;
  readonly summary: string;
}

/** A sprint that has started, with the window its changes fall in. */
export interface HealthSprint {
  readonly id: string;
  readonly name: string;
  readonly state: 'active' | 'closed';
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly completeDate: string | null;
}

export interface OffRoleCell {
  readonly accountability: Accountability;
  readonly bucket: HealthBucket;
  readonly count: number;
  readonly share: number;
  readonly reason: string;
}

export interface SprintFigures {
  readonly actions: ActionCounts;
  readonly offRole: OffRoleCell[];
  readonly clerical: { readonly count: number; readonly byAccountability: Partial<Record<Accountability, number>> };
}

/** The accountabilities that are clerical work when the Scrum Master does them for the team. */
export const CLERICAL: readonly Accountability[] = ['status-update', 'create-item', 'create-subtask', 'assign', 'estimate'];

export function emptyCounts(): ActionCounts {
  return Object.fromEntries(ACCOUNTABILITIES.map((a) => [a, Object.fromEntries(HEALTH_BUCKETS.map((b) => [b, 0]))])) as ActionCounts;
}

function time(iso: string | null): number {
  if (iso === null) return Number.NaN;
  return Date.parse(iso);
}

/**
 * The sprint whose window holds a moment: [start, completion] of a closed sprint, [start, now] of the
 * active one. Sprints that have not started have no window. Null when no window holds it.
 */
export function sprintHolding(at: string, sprints: readonly HealthSprint[], now: Date): string | null {
  const t = time(at);
  if (Number.isNaN(t)) return null;
  for (const sprint of sprints) {
    const start = time(sprint.startDate);
    if (Number.isNaN(start)) continue;
    const end = sprint.completeDate !== null ? time(sprint.completeDate) : now.getTime();
    if (t >= start && t <= end) return sprint.id;
  }
  return null;
}

const orNone = (text: string | null, none: string): string => (text === null || text.trim() === '' ? none : text);

/** What changed, in a few words, for the drill-down. */
export function changeSummary(accountability: Accountability, change: FieldChange | null): string {
  switch (accountability) {
    case 'create-item':
    case 'create-subtask':
      return 'Created';
    case 'backlog-order':
      return orNone(change?.toText ?? null, 'Ranked');
    case 'status-update':
      return `Status: ${orNone(change?.fromText ?? null, 'none')} → ${orNone(change?.toText ?? null, 'none')}`;
    case 'estimate':
      return `Estimate: ${orNone(change?.fromText ?? null, 'none')} → ${orNone(change?.toText ?? null, 'none')}`;
    case 'assign':
      return `Assignee: ${orNone(change?.fromText ?? null, 'Unassigned')} → ${orNone(change?.toText ?? null, 'Unassigned')}`;
    case 'sprint-scope':
      return `Sprint: ${orNone(change?.fromText ?? null, 'none')} → ${orNone(change?.toText ?? null, 'none')}`;
  }
}

/** One replayed change, as role health needs it: the normalised event, who made it and their roles. */
export interface ReplayedChange {
  readonly at: string;
  readonly issueKey: string;
  readonly actor: string;
  readonly actorRoles: readonly RoleKey[];
  readonly event: DomainEvent;
}

/** The accountabilities a change exercised, each with its bucket and summary (each at most once per entry). */
export function healthActionsOf(change: ReplayedChange): HealthAction[] {
  return classifyChange(change.event).map(({ accountability, change: item }) => ({
    at: change.at,
    issueKey: change.issueKey,
    actor: change.actor,
    accountability,
    bucket: bucketOf(accountability, change.actorRoles),
    summary: changeSummary(accountability, item),
  }));
}

/** The counts of `actions`, added to `earlier` (counts of the same sprint from an earlier page) when given. */
export function countActions(actions: readonly HealthAction[], earlier?: ActionCounts): ActionCounts {
  const counts = earlier ? structuredClone(earlier) : emptyCounts();
  for (const a of actions) counts[a.accountability][a.bucket]++;
  return counts;
}

const BUCKET_SUBJECT: Readonly<Record<HealthBucket, string>> = {
  productOwner: 'The Product Owner',
  scrumMaster: 'The Scrum Master',
  developers: 'The Developers',
  stakeholders: 'Stakeholders',
  outside: 'People outside the Scrum Team',
};

/** Why a cell is off its role, in the app's coaching tone: who the work belongs to, and the Scrum Guide's reason. */
export function offRoleReason(accountability: Accountability, bucket: HealthBucket, count: number, total: number): string {
  const rule = RULES[ACCOUNTABILITY_RULE[accountability]];
  const owners = listWords(rule.allowed.map((r) => ROLE_IN_SENTENCE[r]));
  const percent = Math.round((count / total) * 100);
  const times = count === 1 ? 'once' : `${count} times`;
  return (
    `${BUCKET_SUBJECT[bucket]} did "${ACCOUNTABILITY_LABELS[accountability].toLowerCase()}" ${times} this sprint (${percent}% of it). ` +
    `${rule.basis} It may be worth asking together what made it happen, and how ${owners} can carry it again.`
  );
}

export function sprintFigures(counts: ActionCounts): SprintFigures {
  const offRole: OffRoleCell[] = [];
  for (const accountability of ACCOUNTABILITIES) {
    const row = counts[accountability];
    const total = HEALTH_BUCKETS.reduce((sum, b) => sum + row[b], 0);
    for (const bucket of HEALTH_BUCKETS) {
      const count = row[bucket];
      if (count === 0 || isOnRole(accountability, bucket)) continue;
      offRole.push({ accountability, bucket, count, share: count / total, reason: offRoleReason(accountability, bucket, count, total) });
    }
  }
  const byAccountability: Partial<Record<Accountability, number>> = {};
  let clerical = 0;
  for (const accountability of CLERICAL) {
    const count = counts[accountability].scrumMaster;
    if (count > 0) {
      byAccountability[accountability] = count;
      clerical += count;
    }
  }
  return { actions: counts, offRole, clerical: { count: clerical, byAccountability } };
}

/** The changes behind one cell, newest first, a page at a time (the cursor is the offset). */
export function pageOfActions(
  actions: readonly HealthAction[],
  accountability: Accountability,
  bucket: HealthBucket,
  offset: number,
  size: number,
): { changes: HealthAction[]; next: string | null } {
  const matching = actions
    .filter((a) => a.accountability === accountability && a.bucket === bucket)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.issueKey.localeCompare(a.issueKey));
  const changes = matching.slice(offset, offset + size);
  return { changes, next: offset + size < matching.length ? String(offset + size) : null };
}
