/**
 * The audit ("try it first"): replays a project's past changes through the same engine the triggers
 * use, with rules that have not been saved yet, and counts what would have been flagged or blocked.
 *
 * Jira keeps changelogs, not the events Forge delivered, so each changelog entry is turned back into
 * the payload `avi:jira:updated:issue` would have carried (the same shape, the same field ids), and a
 * creation into `avi:jira:created:issue`. Which sprints the item was in at that moment is rebuilt by
 * walking the sprint field's history back from today; whether a sprint was active then, from the
 * sprint's start and completion dates. Then `normaliseEvent` and `evaluate` decide, as they do live.
 *
 * The app's own changes (its undos) are never judged live (the triggers ignore them), so the
 * replay leaves them out too.
 *
 * No Forge import and no I/O here: the in-app runner (src/app/screens/audit-runner.ts) and
 * `scrum-guard audit` (src/cli/audit.ts) fetch; both replay and report with this module, so the two
 * cannot drift apart.
 */
import { ROLE_KEYS, type Mode, type RoleKey, type RuleId } from '../core/catalogue';
import type { EffectiveConfig, ProjectConfig } from '../core/config';
import { evaluate, type Verdict } from '../core/evaluate';
import { normaliseEvent, recogniseChangelogItem, sprintsOf, type DomainEvent, type FieldIds } from '../core/events';
import { userIdOf, type JiraChangelogItem } from '../core/jira-shapes';
import { resolveRoles, type Membership } from '../core/roles';
import type { AuditFinding } from '../shared/resolver-api';

/** JQL for the project's work items changed (or created) in the last `days` days. */
export function changedSinceJql(projectKey: string, days: number): string {
  // The key is quoted so that a project key that is also a JQL word still parses.
  return `project = "${projectKey}" AND updated >= -${days}d ORDER BY key ASC`;
}

/** How many findings a report lists (the newest); the counts always cover every finding. */
export const AUDIT_REPORT_MAX_FINDINGS = 300;

export type AuditChangelogItem = JiraChangelogItem;

export interface AuditChangelog {
  readonly id: string;
  readonly created: string;
  readonly authorAccountId: string | null;
  readonly items: readonly AuditChangelogItem[];
}

export interface AuditIssue {
  readonly id: string;
  readonly key: string;
  readonly projectId: string | null;
  readonly projectKey: string;
  readonly subtask: boolean;
  readonly created: string | null;
  readonly creatorAccountId: string | null;
  /** Sprint ids the item is in today (from the site's sprint field). */
  readonly currentSprintIds: readonly string[];
  readonly changelogs: readonly AuditChangelog[];
}

export interface AuditSprint {
  readonly id: string;
  readonly startDate: string | null;
  readonly completeDate: string | null;
}

/**
 * Who holds which group and project role, as far as the config under test names them: enough to
 * build each actor's `Membership` for the core's `resolveRoles`.
 */
export interface AuditDirectory {
  /** Group id -> account ids in it. */
  readonly groupMembers: Readonly<Record<string, readonly string[]>>;
  /** Project role id -> account ids holding it (directly or through a group). */
  readonly projectRoleMembers: Readonly<Record<string, readonly string[]>>;
}

/** A finding as the replay keeps it: with the changelog it came from, so findings can be told apart. */
export interface AuditFindingRecord extends AuditFinding {
  readonly changelogId: string | null;
}

export interface IssueReplay {
  readonly findings: AuditFindingRecord[];
  /** Changelog entries and creations within the window that were handed to the engine. */
  readonly eventsReplayed: number;
}

export function membershipOf(accountId: string, directory: AuditDirectory): Membership {
  const groupIds = Object.entries(directory.groupMembers).flatMap(([id, members]) => (members.includes(accountId) ? [id] : []));
  const projectRoleIds = Object.entries(directory.projectRoleMembers).flatMap(([id, members]) => (members.includes(accountId) ? [id] : []));
  return { accountId, groupIds, projectRoleIds };
}

function sprintIds(value: string | null | undefined): string[] {
  if (value === null || value === undefined || value.trim() === '') return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A sprint's state at a moment, from its dates: the Agile API gives today's state only. */
export function sprintStateAt(sprint: AuditSprint | undefined, at: number): 'active' | 'closed' | 'future' {
  if (!sprint) return 'future';
  const started = sprint.startDate ? Date.parse(sprint.startDate) : Number.NaN;
  const completed = sprint.completeDate ? Date.parse(sprint.completeDate) : Number.NaN;
  if (!Number.isNaN(completed) && completed <= at) return 'closed';
  if (!Number.isNaN(started) && started <= at) return 'active';
  return 'future';
}

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** One change of the history as the engine judged it: what `check --jira-export` prints per change. */
export interface JudgedChange {
  readonly at: string;
  readonly eventType: 'avi:jira:created:issue' | 'avi:jira:updated:issue';
  readonly issueKey: string;
  readonly changelogId: string | null;
  readonly actor: string;
  readonly actorRoles: readonly RoleKey[];
  /** The active sprint the item was in at that moment, if any. */
  readonly sprintId: string | null;
  readonly verdicts: readonly Verdict[];
  /** The change as the engine normalised it (role health classifies the same event the rules judged). */
  readonly event: DomainEvent;
}

/**
 * Everything a replay needs besides the work item: the same for every item of one audit, so the
 * in-app runner, `scrum-guard audit` and `check --jira-export` build it once.
 */
export interface ReplayContext {
  /** The project's sprints with their dates, by id: whether a sprint was active at a moment. */
  readonly sprints: ReadonlyMap<string, AuditSprint>;
  readonly effective: EffectiveConfig;
  readonly directory: AuditDirectory;
  /** The site's field ids (the config's, or found by custom type); the sprint field rebuilds membership. */
  readonly fields: FieldIds;
  /** Only changes at or after this moment are judged. */
  readonly since: Date;
  /** The app's own account(s): their changes are the app's undos, never judged. */
  readonly appAccountIds: ReadonlySet<string>;
}

/**
 * Replays one work item's history through the engine, oldest first, and calls `onChange` for every
 * change the engine looked at (creations and changelog entries with a watched field).
 */
export function replayIssueChanges(issue: AuditIssue, context: ReplayContext, onChange: (change: JudgedChange) => void): void {
  const { sprints, effective, directory, fields } = context;
  const sinceMs = context.since.getTime();
  const rolesCache = new Map<string, ReadonlySet<RoleKey>>();
  const rolesOf = (accountId: string): ReadonlySet<RoleKey> => {
    let roles = rolesCache.get(accountId);
    if (!roles) {
      roles = resolveRoles(effective.config, membershipOf(accountId, directory));
      rolesCache.set(accountId, roles);
    }
    return roles;
  };

  const ordered = [...issue.changelogs].sort((a, b) => time(a.created) - time(b.created) || Number(a.id) - Number(b.id));
  // Sprint membership just after each entry, walking back from today's. The sprint item is
  // recognised as the engine recognises it live: by id, or by name where Jira Server wrote no id.
  const isSprintItem = (item: AuditChangelogItem): boolean => recogniseChangelogItem({ ...item }, fields) === 'sprint';
  const after: string[][] = new Array(ordered.length);
  let membership = [...issue.currentSprintIds];
  for (let i = ordered.length - 1; i >= 0; i--) {
    after[i] = membership;
    const sprintItem = fields.sprint === undefined ? undefined : ordered[i]!.items.find(isSprintItem);
    if (sprintItem) membership = sprintIds(sprintItem.from);
  }
  const membershipAtCreation = membership;

  const issueFields = (members: readonly string[], at: number): Record<string, unknown> => {
    const base: Record<string, unknown> = {
      issuetype: { subtask: issue.subtask },
      project: { ...(issue.projectId !== null ? { id: issue.projectId } : {}), key: issue.projectKey },
    };
    if (fields.sprint !== undefined) {
      base[fields.sprint] = members.map((id) => ({ id, state: sprintStateAt(sprints.get(id), at) }));
    }
    return base;
  };

  const judge = (raw: Record<string, unknown>, actor: string, at: string, changelogId: string | null, sprintOf: readonly string[]): void => {
    const normalised = normaliseEvent(raw, fields);
    if (normalised.kind !== 'event') return;
    const roles = rolesOf(actor);
    const atMs = time(at);
    onChange({
      at,
      eventType: normalised.event.eventType as JudgedChange['eventType'],
      issueKey: issue.key,
      changelogId,
      actor,
      actorRoles: ROLE_KEYS.filter((r) => roles.has(r)),
      sprintId: sprintOf.find((id) => sprintStateAt(sprints.get(id), atMs) === 'active') ?? null,
      verdicts: evaluate(normalised.event, roles, effective),
      event: normalised.event,
    });
  };

  const byApp = (accountId: string | null): boolean => accountId !== null && context.appAccountIds.has(accountId);

  if (issue.created !== null && issue.creatorAccountId !== null && !byApp(issue.creatorAccountId) && time(issue.created) >= sinceMs) {
    const at = time(issue.created);
    judge(
      {
        eventType: 'avi:jira:created:issue',
        atlassianId: issue.creatorAccountId,
        issue: { id: issue.id, key: issue.key, fields: issueFields(membershipAtCreation, at) },
      },
      issue.creatorAccountId,
      issue.created,
      null,
      membershipAtCreation,
    );
  }

  ordered.forEach((entry, index) => {
    const at = time(entry.created);
    // The app's own undos reach no trigger live (ignoreSelf), so they are not judged here either.
    if (at < sinceMs || entry.authorAccountId === null || byApp(entry.authorAccountId)) return;
    const members = after[index]!;
    judge(
      {
        eventType: 'avi:jira:updated:issue',
        atlassianId: entry.authorAccountId,
        issue: { id: issue.id, key: issue.key, fields: issueFields(members, at) },
        changelog: { id: entry.id, items: entry.items.map((item) => ({ ...item })) },
      },
      entry.authorAccountId,
      entry.created,
      entry.id,
      members,
    );
  });
}

/** Replays one work item's history and keeps what the report needs: the findings and a count. */
export function replayIssue(issue: AuditIssue, context: ReplayContext): IssueReplay {
  const findings: AuditFindingRecord[] = [];
  let eventsReplayed = 0;
  replayIssueChanges(issue, context, (change) => {
    eventsReplayed++;
    for (const verdict of change.verdicts) {
      findings.push({
        at: change.at,
        issueKey: change.issueKey,
        sprintId: change.sprintId,
        changelogId: change.changelogId,
        actor: change.actor,
        actorRoles: change.actorRoles,
        rule: verdict.rule,
        mode: verdict.mode,
        fromText: verdict.change?.fromText ?? null,
        toText: verdict.change?.toText ?? null,
      });
    }
  });
  return { findings, eventsReplayed };
}

// ---------------------------------------------------------------------------------------------
// Totals

export interface AuditTotals {
  byRule: Partial<Record<RuleId, { mode: Exclude<Mode, 'off'>; count: number }>>;
  byPerson: Record<string, { roles: RoleKey[]; count: number; rules: RuleId[] }>;
  /** Findings per active sprint at the time ('' for none). Absent in audits stored before it existed. */
  bySprint?: Record<string, number>;
  findings: AuditFindingRecord[];
  findingsTotal: number;
  eventsReplayed: number;
}

export function emptyTotals(): AuditTotals {
  return { byRule: {}, byPerson: {}, bySprint: {}, findings: [], findingsTotal: 0, eventsReplayed: 0 };
}

/** Adds one item's replay to the totals, keeping at most `maxFindings` (the newest) in the list. */
export function addReplay(totals: AuditTotals, replay: IssueReplay, maxFindings: number): AuditTotals {
  const byRule = { ...totals.byRule };
  const byPerson = { ...totals.byPerson };
  const bySprint = { ...(totals.bySprint ?? {}) };
  for (const finding of replay.findings) {
    bySprint[finding.sprintId ?? ''] = (bySprint[finding.sprintId ?? ''] ?? 0) + 1;
    const rule = byRule[finding.rule];
    byRule[finding.rule] = { mode: finding.mode, count: (rule?.count ?? 0) + 1 };
    const person = byPerson[finding.actor] ?? { roles: [...finding.actorRoles], count: 0, rules: [] };
    byPerson[finding.actor] = {
      roles: person.roles,
      count: person.count + 1,
      rules: person.rules.includes(finding.rule) ? person.rules : [...person.rules, finding.rule],
    };
  }
  const findings = [...totals.findings, ...replay.findings]
    .sort((a, b) => time(b.at) - time(a.at) || (a.issueKey ?? '').localeCompare(b.issueKey ?? ''))
    .slice(0, maxFindings);
  return {
    byRule,
    byPerson,
    bySprint,
    findings,
    findingsTotal: totals.findingsTotal + replay.findings.length,
    eventsReplayed: totals.eventsReplayed + replay.eventsReplayed,
  };
}

// ---------------------------------------------------------------------------------------------
// The report: the same for "Try it first" and `scrum-guard audit`

export interface AuditReport {
  readonly eventsReplayed: number;
  readonly byRule: readonly { readonly rule: RuleId; readonly mode: Exclude<Mode, 'off'>; readonly count: number }[];
  readonly byPerson: readonly { readonly accountId: string; readonly roles: readonly RoleKey[]; readonly count: number; readonly rules: readonly RuleId[] }[];
  /** Per active sprint at the time of the change; `sprintId` null for changes outside any active sprint. */
  readonly bySprint: readonly { readonly sprintId: string | null; readonly count: number }[];
  /** Newest first, at most the report's limit; `findingsTruncated` says when there were more. */
  readonly findings: readonly AuditFinding[];
  readonly findingsTruncated: boolean;
}

/** The totals as a report: each list sorted by count, most first, then by id. */
export function auditReport(totals: AuditTotals): AuditReport {
  const byPerson = Object.entries(totals.byPerson)
    .map(([accountId, p]) => ({ accountId, roles: p.roles, count: p.count, rules: p.rules }))
    .sort((a, b) => b.count - a.count || a.accountId.localeCompare(b.accountId));
  const byRule = Object.entries(totals.byRule)
    .map(([rule, r]) => ({ rule: rule as RuleId, mode: r.mode, count: r.count }))
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
  const bySprint = Object.entries(totals.bySprint ?? {})
    .map(([sprintId, count]) => ({ sprintId: sprintId === '' ? null : sprintId, count }))
    .sort((a, b) => b.count - a.count || (a.sprintId ?? '').localeCompare(b.sprintId ?? ''));
  return {
    eventsReplayed: totals.eventsReplayed,
    byRule,
    byPerson,
    bySprint,
    findings: totals.findings.map(({ changelogId: _unused, ...finding }) => finding),
    findingsTruncated: totals.findingsTotal > totals.findings.length,
  };
}

/** What history cannot be judged, and why, for a window starting at `since`. */
export function notJudgedOf(sprints: readonly AuditSprint[], since: Date, beyondCap: { cap: number } | null): { reason: string; count: number }[] {
  const from = since.getTime();
  // Jira records no actor for sprint starts and closes, so the sprint rules cannot be judged from history.
  const started = sprints.filter((s) => s.startDate && Date.parse(s.startDate) >= from).length;
  const closed = sprints.filter((s) => s.completeDate && Date.parse(s.completeDate) >= from).length;
  return [
    ...(started > 0 ? [{ reason: 'sprints started: Jira’s history does not say who started them', count: started }] : []),
    ...(closed > 0 ? [{ reason: 'sprints closed: Jira’s history does not say who closed them', count: closed }] : []),
    ...(beyondCap ? [{ reason: `work items beyond the first ${beyondCap.cap}: choose fewer days`, count: 1 }] : []),
  ];
}

// ---------------------------------------------------------------------------------------------
// From Jira's answers to the replay's input

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** A work item as the search answers it (`id`, `key`, `fields`) and its histories, as the replay takes it. */
export function toAuditIssue(found: { id: string; key: string; fields: Record<string, unknown> }, projectKey: string, fields: FieldIds, changelogs: readonly AuditChangelog[]): AuditIssue {
  const f = found.fields;
  return {
    id: found.id,
    key: found.key,
    projectId: text(record(f['project'])['id']),
    projectKey: text(record(f['project'])['key']) ?? projectKey,
    subtask: record(f['issuetype'])['subtask'] === true,
    created: text(f['created']),
    creatorAccountId: userIdOf(f['creator']),
    // The site's sprint field, in either of the shapes Jira has written it, read as the engine reads it live.
    currentSprintIds: fields.sprint !== undefined ? (sprintsOf(f, fields.sprint) ?? []).map((s) => s.id) : [],
    changelogs,
  };
}

type HistoryAuthor = { accountId?: string | undefined; key?: string | undefined; name?: string | undefined } | null | undefined;

/**
 * A changelog history as Jira's REST API answers it, as the replay takes it. The author is the
 * account id on Cloud; Jira Server names a user key and name instead, as a Server-era config does.
 */
export function toAuditChangelog(history: { id: string; created: string; author?: HistoryAuthor; items: readonly AuditChangelogItem[] }): AuditChangelog {
  return { id: history.id, created: history.created, authorAccountId: userIdOf(history.author), items: history.items };
}

// ---------------------------------------------------------------------------------------------
// Who holds the groups and project roles the config names

export interface DirectoryReads {
  /** A group's active members' account ids; null when the group no longer exists. */
  groupMembers(groupId: string): Promise<readonly string[] | null>;
  /** A project role's actors; null when the role no longer exists. */
  projectRoleActors(roleId: string): Promise<{ users: readonly string[]; groups: readonly string[] } | null>;
}

/**
 * Reads the members of every group and project role the config names (a project role's groups
 * included), each group once. A group or role deleted since the config was saved resolves to nobody.
 */
export async function readDirectory(config: ProjectConfig, withProjectRoles: boolean, reads: DirectoryReads): Promise<AuditDirectory> {
  const groupCache = new Map<string, string[]>();
  const membersOfGroup = async (groupId: string): Promise<string[]> => {
    let members = groupCache.get(groupId);
    if (!members) {
      members = [...((await reads.groupMembers(groupId)) ?? [])];
      groupCache.set(groupId, members);
    }
    return members;
  };
  const groupIds = new Set<string>();
  const roleIds = new Set<string>();
  for (const role of ROLE_KEYS) {
    for (const g of config.roles[role].groups) groupIds.add(g);
    for (const r of config.roles[role].projectRoles) roleIds.add(r);
  }
  const groupMembers: Record<string, string[]> = {};
  for (const groupId of groupIds) groupMembers[groupId] = await membersOfGroup(groupId);
  const projectRoleMembers: Record<string, string[]> = {};
  if (withProjectRoles) {
    for (const roleId of roleIds) {
      const actors = (await reads.projectRoleActors(roleId)) ?? { users: [], groups: [] };
      const members = new Set(actors.users);
      for (const g of actors.groups) for (const id of await membersOfGroup(g)) members.add(id);
      projectRoleMembers[roleId] = [...members];
    }
  }
  return { groupMembers, projectRoleMembers };
}
