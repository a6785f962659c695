/**
 * The violation log page and the issue panel: what the caller may see of the log (all of it for the
 * Scrum Master, the Product Owner and project admins; only their own entries for anyone else),
 * acknowledging with a note (Scrum Master and Product Owner), charts and the CSV export.
 */
import { ROLE_KEYS, RULE_IDS, RULES, type RoleKey, type RuleId } from '../../core/catalogue';
import { LIMITS } from '../../shared/limits';
import { MODE_WORDS, NO_SPRINT_KEY, NO_SPRINT_LABEL, OUTCOME_WORDS, rolesText, STATUS_WORDS } from '../../shared/words';
import type { AcknowledgeView, ChartsView, CsvView, Viewer, ViolationPageView, ViolationRow, WorkItemNudgesView } from '../../shared/resolver-api';
import { weekNumber, weekStartMs, type ViolationRecord } from '../../core/violations';
import type { ViolationCounts, ViolationFilter, ViolationPageRequest } from '../ports';
import { requireBrowse, viewerOf } from './access';
import type { CallerContext } from './context';
import { requireIssue, requireProject } from './context';
import type { ScreenDeps } from './deps';
import { loadDirectory, resolvedRoles, type Directory } from './directory';
import { forbidden } from './errors';
import { peopleNamed, projectConfigInEffect } from './settings';
import type { ProjectConfig } from '../../core/config';

type FilterInput = Omit<ViolationFilter, 'projectKey'>;
type SortInput = ViolationPageRequest['sort'];

interface Scope {
  readonly projectKey: string;
  readonly viewer: Viewer;
  readonly config: ProjectConfig;
  readonly directory: Directory;
}

async function scopeOf(context: CallerContext, deps: ScreenDeps, projectKey: string): Promise<Scope> {
  const permissions = await requireBrowse(deps.reads, projectKey);
  const config = await projectConfigInEffect(deps, projectKey);
  const directory = await loadDirectory(deps.reads, projectKey, config);
  return { projectKey, viewer: viewerOf(context.accountId, permissions, config, directory), config, directory };
}

/**
 * The filter as the viewer may run it: someone who sees only their own entries gets their own,
 * whatever actors the payload names (asking for someone else's answers nothing).
 */
export function scopedFilter(projectKey: string, filter: FilterInput, viewer: Viewer): ViolationFilter | null {
  const base: ViolationFilter = { ...filter, projectKey };
  if (viewer.scope === 'all') return base;
  if (filter.actors !== undefined && filter.actors.length > 0 && !filter.actors.includes(viewer.accountId)) return null;
  return { ...base, actors: [viewer.accountId] };
}

export function toRow(record: ViolationRecord): ViolationRow {
  return {
    id: record.id,
    occurredAt: record.occurredAt,
    issueKey: record.issueKey,
    actor: record.actor,
    actorRoles: [...record.actorRoles],
    rule: record.rule,
    mode: record.mode,
    outcome: record.outcome,
    fromValue: record.fromValue,
    toValue: record.toValue,
    fromText: record.fromText,
    toText: record.toText,
    sprintId: record.sprintId,
    status: record.status,
    ackNote: record.ackNote,
    ackBy: record.ackBy,
    ackAt: record.ackAt,
  };
}

/**
 * The rows as the screens show them. A status given only by its id (a transition the workflow
 * validator refused: Forge names the statuses by id) gets its name from Jira, so nobody reads
 * "10000 → 3". Best effort: without an answer the ids stay.
 */
async function namedRows(deps: ScreenDeps, projectKey: string, records: readonly ViolationRecord[]): Promise<ViolationRow[]> {
  const rows = records.map(toRow);
  const bare = (row: ViolationRow): boolean => row.rule === 'status-change' && ((row.fromText === null && row.fromValue !== null) || (row.toText === null && row.toValue !== null));
  if (!rows.some(bare)) return rows;
  const names = await deps.reads.statusNames(projectKey, 'app').catch((error: unknown) => {
    console.warn(`status names of ${projectKey} not read: ${error instanceof Error ? error.message : String(error)}`);
    return new Map<string, string>();
  });
  return rows.map((row) =>
    bare(row)
      ? {
          ...row,
          fromText: row.fromText ?? (row.fromValue === null ? null : (names.get(row.fromValue) ?? null)),
          toText: row.toText ?? (row.toValue === null ? null : (names.get(row.toValue) ?? null)),
        }
      : row,
  );
}

function accountsIn(rows: readonly ViolationRow[]): string[] {
  return rows.flatMap((r) => (r.ackBy ? [r.actor, r.ackBy] : [r.actor]));
}

export async function listViolations(
  context: CallerContext,
  deps: ScreenDeps,
  request: { filter: FilterInput; sort: SortInput; limit: number; cursor: string | null },
): Promise<ViolationPageView> {
  const scope = await scopeOf(context, deps, requireProject(context));
  const filter = scopedFilter(scope.projectKey, request.filter, scope.viewer);
  if (filter === null) return { rows: [], nextCursor: null, total: 0, people: [], viewer: scope.viewer };
  const page = await deps.log.page({ filter, sort: request.sort, limit: request.limit, cursor: request.cursor });
  const rows = await namedRows(deps, scope.projectKey, page.rows);
  return {
    rows,
    nextCursor: page.nextCursor,
    total: page.total,
    ...(page.totalIsCapped ? { totalIsCapped: true } : {}),
    people: await peopleNamed(deps, accountsIn(rows), scope.directory.people),
    viewer: scope.viewer,
  };
}

/** Every row the filter matches, up to `max`, in the order asked; `more` when some were left out. */
async function allRows(deps: ScreenDeps, filter: ViolationFilter, sort: SortInput, max: number): Promise<{ rows: ViolationRecord[]; more: boolean }> {
  const rows: ViolationRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await deps.log.page({ filter, sort, limit: 200, cursor });
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor !== null && rows.length < max);
  return { rows: rows.slice(0, max), more: cursor !== null || rows.length > max };
}

/** Said when someone asks to close an entry about themselves. */
export const OWN_ENTRY_MESSAGE = 'An entry about yourself is talked through with someone else: the Product Owner or the Scrum Master closes it, not you.';

/**
 * Closes entries with a note. Only the Scrum Master and the Product Owner may, and never an entry
 * about themselves (`ownOpen`: the caller's own open entries among those asked for): talking it
 * through takes someone else.
 */
async function acknowledgeIn(scope: Scope, deps: ScreenDeps, context: CallerContext, ids: readonly string[], note: string, ownOpen: ReadonlySet<string>): Promise<AcknowledgeView> {
  if (!scope.viewer.canAcknowledge) throw forbidden('Only the Scrum Master or the Product Owner can close an entry with a note.');
  const own = ids.filter((id) => ownOpen.has(id));
  if (own.length > 0) {
    const which = ids.length === 1 ? 'This entry is about you.' : `${own.length === 1 ? 'One' : own.length} of the ${ids.length} entries ${own.length === 1 ? 'is' : 'are'} about you, so none was closed.`;
    throw forbidden(`${which} ${OWN_ENTRY_MESSAGE}`);
  }
  const acknowledged = await deps.log.acknowledge(ids, scope.projectKey, note, context.accountId, deps.clock.now());
  return { acknowledged };
}

export async function acknowledgeMany(context: CallerContext, deps: ScreenDeps, ids: readonly string[], note: string): Promise<AcknowledgeView> {
  const scope = await scopeOf(context, deps, requireProject(context));
  if (!scope.viewer.canAcknowledge) return acknowledgeIn(scope, deps, context, ids, note, new Set());
  const { rows } = await allRows(deps, { projectKey: scope.projectKey, actors: [context.accountId], statuses: ['open'] }, { by: 'occurredAt', direction: 'desc' }, LIMITS.csvMaxRows);
  return acknowledgeIn(scope, deps, context, ids, note, new Set(rows.map((r) => r.id)));
}

// ---------------------------------------------------------------------------------------------
// Issue panel

const PANEL_ROWS = 50;

export async function getWorkItemNudges(context: CallerContext, deps: ScreenDeps): Promise<WorkItemNudgesView> {
  const { issueKey, projectKey } = requireIssue(context);
  const scope = await scopeOf(context, deps, projectKey);
  // The nudge is for the whole team: everyone who can see the work item reads its entries.
  const page = await deps.log.page({ filter: { projectKey, issueKey }, sort: { by: 'occurredAt', direction: 'desc' }, limit: PANEL_ROWS, cursor: null });
  const rows = await namedRows(deps, projectKey, page.rows);
  const roles = resolvedRoles(scope.config, scope.directory);
  const people = await peopleNamed(deps, [...Object.values(roles).flat(), ...accountsIn(rows)], scope.directory.people);
  return { issueKey, roles, violations: rows, people, viewer: scope.viewer };
}

/** The panel acknowledges entries of its own work item only. */
export async function acknowledgeOnWorkItem(context: CallerContext, deps: ScreenDeps, ids: readonly string[], note: string): Promise<AcknowledgeView> {
  const { issueKey, projectKey } = requireIssue(context);
  const scope = await scopeOf(context, deps, projectKey);
  const { rows } = await allRows(deps, { projectKey, issueKey }, { by: 'occurredAt', direction: 'desc' }, 1000);
  const onThisItem = new Set(rows.map((r) => r.id));
  const foreign = ids.filter((id) => !onThisItem.has(id));
  if (foreign.length > 0) throw forbidden(`${foreign.length === 1 ? 'One entry does' : `${foreign.length} entries do`} not belong to ${issueKey}.`);
  const ownOpen = new Set(rows.filter((r) => r.actor === context.accountId && r.status === 'open').map((r) => r.id));
  return acknowledgeIn(scope, deps, context, ids, note, ownOpen);
}

// ---------------------------------------------------------------------------------------------
// Charts

/** Buckets a chart shows: the latest ones with entries. */
export const CHART_BUCKETS = 8;

const RULE_PHRASES: Readonly<Record<RuleId, string>> = {
  'backlog-rank': 'reordered Product Backlog items',
  'sprint-rank': 'reordered work items in the sprint',
  'status-change': 'moved work items to another status',
  'estimate-change': 'changed estimates',
  'assign-others': 'assigned work items to someone else',
  'priority-change': 'changed priorities',
  'item-create': 'created backlog items',
  'subtask-create': 'created sub-tasks',
  'sprint-scope-add': 'added work items to the running sprint',
  'sprint-goal-change': 'edited the Sprint Goal',
  'sprint-cancel': 'closed sprints early',
  'sprint-start-without-goal': 'started sprints without a goal',
};

const ROLE_SUBJECTS: Readonly<Record<RoleKey | 'none', string>> = {
  productOwner: 'The Product Owner',
  scrumMaster: 'The Scrum Master',
  developers: 'Developers',
  stakeholders: 'Stakeholders',
  none: 'People outside the Scrum Team',
};

/** One count of the charts' input: a rule, the actor's roles, and a week or a sprint. */
type ChartCount = ViolationCounts[number];

function rolesOrNone(roles: readonly RoleKey[]): (RoleKey | 'none')[] {
  return roles.length === 0 ? ['none'] : ROLE_KEYS.filter((r) => roles.includes(r));
}

/** The charts of some rows (what the log counts for the screen, done here over rows in hand). */
export function chartsOf(rows: readonly ViolationRecord[], bucket: 'sprint' | 'week', sprintNames: ReadonlyMap<string, { name: string; start: string }>): Omit<ChartsView, 'viewer'> {
  const counts = rows.map((row) => ({
    rule: row.rule,
    roles: row.actorRoles,
    ...(bucket === 'week' ? { week: weekNumber(Date.parse(row.occurredAt)) } : { sprintId: row.sprintId }),
    count: 1,
  }));
  return chartsFromCounts(counts, bucket, sprintNames);
}

/**
 * The charts from counts per rule, roles and week or sprint (a sprint oldest first, or an ISO week).
 * By sprint, entries made while their work item was in no running sprint (and sprint-less events) are
 * a bucket of their own, `none`, last, so every entry the filter matches is counted somewhere.
 */
export function chartsFromCounts(counts: readonly ChartCount[], bucket: 'sprint' | 'week', sprintNames: ReadonlyMap<string, { name: string; start: string }>): Omit<ChartsView, 'viewer'> {
  const keyOf = (c: ChartCount): string | null =>
    bucket === 'week' ? (c.week === undefined ? null : new Date(weekStartMs(c.week)).toISOString().slice(0, 10)) : (c.sprintId ?? NO_SPRINT_KEY);
  const totals = new Map<string, number>();
  const perRule = new Map<string, number>();
  for (const c of counts) {
    const key = keyOf(c);
    if (key === null) continue;
    totals.set(key, (totals.get(key) ?? 0) + c.count);
    perRule.set(`${key}\u0000${c.rule}`, (perRule.get(`${key}\u0000${c.rule}`) ?? 0) + c.count);
  }
  const order = (key: string): string => (bucket === 'week' ? key : sprintNames.get(key)?.start ?? key.padStart(12, '0'));
  const timed = [...totals.keys()].filter((key) => bucket === 'week' || key !== NO_SPRINT_KEY);
  const keys = timed.sort((a, b) => order(a).localeCompare(order(b))).slice(-CHART_BUCKETS);
  const unsprinted = bucket === 'sprint' && totals.has(NO_SPRINT_KEY) ? [NO_SPRINT_KEY] : [];
  const label = (key: string): string =>
    bucket === 'week' ? `Week of ${key}` : key === NO_SPRINT_KEY ? NO_SPRINT_LABEL : (sprintNames.get(key)?.name ?? `Sprint ${key}`);
  const buckets = [...keys, ...unsprinted].map((key) => ({ key, label: label(key) }));
  // The patterns speak of the latest sprint (or week); with no sprint at all, of the entries outside one.
  const latest = keys[keys.length - 1] ?? unsprinted[0];
  const patterns = new Map<string, number>();
  for (const c of counts) {
    if (latest === undefined || keyOf(c) !== latest) continue;
    for (const role of rolesOrNone(c.roles ?? [])) patterns.set(`${role}\u0000${c.rule}`, (patterns.get(`${role}\u0000${c.rule}`) ?? 0) + c.count);
  }
  const when = bucket === 'week' ? 'this week' : latest === NO_SPRINT_KEY ? 'outside a sprint' : 'this sprint';
  const topPatterns = [...patterns]
    .map(([key, count]) => {
      const [role, rule] = key.split('\u0000') as [RoleKey | 'none', RuleId];
      return { role, rule, count, bucket: latest!, text: `${ROLE_SUBJECTS[role]} ${RULE_PHRASES[rule]} ${count === 1 ? 'once' : `${count} times`} ${when}` };
    })
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule))
    .slice(0, 5);
  return {
    bucket,
    buckets,
    perRule: [...keys, ...unsprinted].flatMap((key) =>
      RULE_IDS.flatMap((rule) => {
        const count = perRule.get(`${key}\u0000${rule}`) ?? 0;
        return count > 0 ? [{ bucket: key, rule, count }] : [];
      }),
    ),
    topPatterns,
    trend: [...keys, ...unsprinted].map((key) => ({ bucket: key, count: totals.get(key) ?? 0 })),
  };
}

export async function violationCharts(context: CallerContext, deps: ScreenDeps, filter: FilterInput, bucket: 'sprint' | 'week'): Promise<ChartsView> {
  const scope = await scopeOf(context, deps, requireProject(context));
  const scoped = scopedFilter(scope.projectKey, filter, scope.viewer);
  if (scoped === null) return { bucket, buckets: [], perRule: [], topPatterns: [], trend: [], viewer: scope.viewer };
  // Counts, not rows: one read of the totals (and of the rows of days not yet in them).
  const [counts, sprints] = await Promise.all([
    deps.log.counts(scoped, [bucket, 'roles'], bucket === 'week' ? { latestWeeks: CHART_BUCKETS } : {}),
    bucket === 'sprint' ? deps.reads.projectSprints(scope.projectKey, 'app') : Promise.resolve([]),
  ]);
  const names = new Map(sprints.map((s) => [String(s.id), { name: s.name ?? `Sprint ${s.id}`, start: s.startDate ?? '9999' }]));
  return { ...chartsFromCounts(counts, bucket, names), viewer: scope.viewer };
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * One CSV cell: always quoted, quotes doubled, and a leading =, +, -, @, tab or carriage return
 * neutralised with an apostrophe, so a spreadsheet never runs a cell as a formula.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** The log page's words, column by column; the rule id and the account id last, for scripts. */
export const CSV_COLUMNS = [
  'When (UTC)', 'Work item', 'Rule', 'Who', 'Their role', 'From', 'To', 'Mode', 'What happened', 'Sprint', 'Status', 'Note',
  'Talked through by', 'Talked through at (UTC)', 'Rule id', 'Account id',
] as const;

/** `names`: display names by account id; `sprints`: sprint names by sprint id. */
export function toCsv(rows: readonly ViolationRow[], names: ReadonlyMap<string, string>, sprints: ReadonlyMap<string, string> = new Map()): string {
  const lines = [CSV_COLUMNS.map(csvCell).join(',')];
  for (const row of rows) {
    const sprint = row.sprintId === null ? NO_SPRINT_LABEL : (sprints.get(row.sprintId) ?? `Sprint ${row.sprintId}`);
    lines.push(
      [
        row.occurredAt, row.issueKey, RULES[row.rule].title, names.get(row.actor) ?? 'A former user', rolesText(row.actorRoles),
        row.fromText ?? row.fromValue, row.toText ?? row.toValue, MODE_WORDS[row.mode], OUTCOME_WORDS[row.outcome]?.text ?? row.outcome, sprint,
        STATUS_WORDS[row.status] ?? row.status, row.ackNote, row.ackBy === null ? null : (names.get(row.ackBy) ?? 'A former user'), row.ackAt,
        row.rule, row.actor,
      ].map(csvCell).join(','),
    );
  }
  // CRLF, as RFC 4180 and spreadsheets expect.
  return `${lines.join('\r\n')}\r\n`;
}

export async function exportCsv(context: CallerContext, deps: ScreenDeps, filter: FilterInput, sort: SortInput): Promise<CsvView> {
  const scope = await scopeOf(context, deps, requireProject(context));
  const scoped = scopedFilter(scope.projectKey, filter, scope.viewer);
  const date = deps.clock.now().toISOString().slice(0, 10);
  const filename = `scrum-role-guard-${scope.projectKey}-${date}.csv`;
  if (scoped === null) return { filename, csv: toCsv([], new Map()), rowCount: 0, truncated: false };
  const { rows: records, more } = await allRows(deps, scoped, sort, LIMITS.csvMaxRows);
  const rows = await namedRows(deps, scope.projectKey, records);
  const people = await peopleNamed(deps, accountsIn(rows), scope.directory.people);
  const names = new Map(people.map((p) => [p.accountId, p.displayName]));
  const sprints = rows.some((r) => r.sprintId !== null) ? await deps.reads.projectSprints(scope.projectKey, 'app') : [];
  const sprintNames = new Map(sprints.map((s) => [String(s.id), s.name ?? `Sprint ${s.id}`]));
  return { filename, csv: toCsv(rows, names, sprintNames), rowCount: rows.length, truncated: more };
}
