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
 * No Forge import and no I/O here: the runner (src/app/screens/audit-runner.ts) fetches and stores.
 */
import { ROLE_KEYS, type Mode, type RoleKey, type RuleId } from '../core/catalogue';
import type { EffectiveConfig } from '../core/config';
import { evaluate } from '../core/evaluate';
import { normaliseEvent, type FieldIds } from '../core/events';
import { resolveRoles, type Membership } from '../core/roles';
import type { AuditFinding } from '../shared/resolver-api';

export interface AuditChangelogItem {
  readonly field?: string | undefined;
  readonly fieldtype?: string | undefined;
  readonly fieldId?: string | undefined;
  readonly from?: string | null | undefined;
  readonly fromString?: string | null | undefined;
  readonly to?: string | null | undefined;
  readonly toString?: string | null | undefined;
}

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

/**
 * Replays one work item's history since `since` through the engine. `fields` are the site's field
 * ids (the config's, or found by custom type); the sprint field is needed to rebuild membership.
 */
export function replayIssue(
  issue: AuditIssue,
  sprints: ReadonlyMap<string, AuditSprint>,
  effective: EffectiveConfig,
  directory: AuditDirectory,
  fields: FieldIds,
  since: Date,
): IssueReplay {
  const findings: AuditFindingRecord[] = [];
  let eventsReplayed = 0;
  const sinceMs = since.getTime();
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
  // Sprint membership just after each entry, walking back from today's.
  const after: string[][] = new Array(ordered.length);
  let membership = [...issue.currentSprintIds];
  for (let i = ordered.length - 1; i >= 0; i--) {
    after[i] = membership;
    const sprintItem = fields.sprint === undefined ? undefined : ordered[i]!.items.find((item) => item.fieldId === fields.sprint);
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
    eventsReplayed++;
    const roles = rolesOf(actor);
    const atMs = time(at);
    const activeSprint = sprintOf.find((id) => sprintStateAt(sprints.get(id), atMs) === 'active') ?? null;
    for (const verdict of evaluate(normalised.event, roles, effective)) {
      findings.push({
        at,
        issueKey: issue.key,
        sprintId: activeSprint,
        changelogId,
        actor,
        actorRoles: ROLE_KEYS.filter((r) => roles.has(r)),
        rule: verdict.rule,
        mode: verdict.mode,
        fromString: verdict.change?.fromString ?? null,
        toString: verdict.change?.toString ?? null,
      });
    }
  };

  if (issue.created !== null && issue.creatorAccountId !== null && time(issue.created) >= sinceMs) {
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
    if (at < sinceMs || entry.authorAccountId === null) return;
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

  return { findings, eventsReplayed };
}

// ---------------------------------------------------------------------------------------------
// Totals

export interface AuditTotals {
  byRule: Partial<Record<RuleId, { mode: Exclude<Mode, 'off'>; count: number }>>;
  byPerson: Record<string, { roles: RoleKey[]; count: number; rules: RuleId[] }>;
  findings: AuditFindingRecord[];
  findingsTotal: number;
  eventsReplayed: number;
}

export function emptyTotals(): AuditTotals {
  return { byRule: {}, byPerson: {}, findings: [], findingsTotal: 0, eventsReplayed: 0 };
}

/** Adds one item's replay to the totals, keeping at most `maxFindings` (the newest) in the list. */
export function addReplay(totals: AuditTotals, replay: IssueReplay, maxFindings: number): AuditTotals {
  const byRule = { ...totals.byRule };
  const byPerson = { ...totals.byPerson };
  for (const finding of replay.findings) {
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
    findings,
    findingsTotal: totals.findingsTotal + replay.findings.length,
    eventsReplayed: totals.eventsReplayed + replay.eventsReplayed,
  };
}
