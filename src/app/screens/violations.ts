/**
 * The violation log page and the issue panel: what the caller may see of the log (all of it for the
 * Scrum Master, the Product Owner and project admins; only their own entries for anyone else),
 * acknowledging with a note (Scrum Master and Product Owner), charts and the CSV export.
 */
import { ROLE_KEYS, RULE_CATALOGUE, type RoleKey, type RuleId } from '../../core/catalogue';
import { CSV_MAX_ROWS } from '../../shared/limits';
import type { AcknowledgeView, ChartsView, CsvView, Viewer, ViolationPageView, ViolationRow, WorkItemNudgesView } from '../../shared/resolver-api';
import { weekNumber, weekStartMs, type ViolationCounts, type ViolationFilter, type ViolationPageRequest, type ViolationRecord } from '../ports';
import { requireBrowse, viewerOf } from './access';
import type { CallerContext } from './context';
import { requireIssue, requireProject } from './context';
import { loadDirectory, resolvedRoles, type Directory } from './directory';
import { forbidden } from './errors';
import { projectSprints } from './jira-reads';
import type { ScreenPorts } from './ports';
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

async function scopeOf(context: CallerContext, ports: ScreenPorts, projectKey: string): Promise<Scope> {
  const permissions = await requireBrowse(projectKey);
  const config = await projectConfigInEffect(ports, projectKey);
  const directory = await loadDirectory(projectKey, config);
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
    fromString: record.fromString,
    toString: record.toString,
    sprintId: record.sprintId,
    status: record.status,
    ackNote: record.ackNote,
    ackBy: record.ackBy,
    ackAt: record.ackAt,
  };
}

function accountsIn(rows: readonly ViolationRow[]): string[] {
  return rows.flatMap((r) => (r.ackBy ? [r.actor, r.ackBy] : [r.actor]));
}

export async function listViolations(
  context: CallerContext,
  ports: ScreenPorts,
  request: { filter: FilterInput; sort: SortInput; limit: number; cursor: string | null },
): Promise<ViolationPageView> {
  const scope = await scopeOf(context, ports, requireProject(context));
  const filter = scopedFilter(scope.projectKey, request.filter, scope.viewer);
  if (filter === null) return { rows: [], nextCursor: null, total: 0, people: [], viewer: scope.viewer };
  const page = await ports.log.page({ filter, sort: request.sort, limit: request.limit, cursor: request.cursor });
  const rows = page.rows.map(toRow);
  return {
    rows,
    nextCursor: page.nextCursor,
    total: page.total,
    ...(page.totalIsCapped ? { totalIsCapped: true } : {}),
    people: await peopleNamed(accountsIn(rows), scope.directory.people),
    viewer: scope.viewer,
  };
}

/** Every row the filter matches, up to `max`, in the order asked; `more` when some were left out. */
async function allRows(ports: ScreenPorts, filter: ViolationFilter, sort: SortInput, max: number): Promise<{ rows: ViolationRecord[]; more: boolean }> {
  const rows: ViolationRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await ports.log.page({ filter, sort, limit: 200, cursor });
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor !== null && rows.length < max);
  return { rows: rows.slice(0, max), more: cursor !== null || rows.length > max };
}

async function acknowledgeIn(scope: Scope, ports: ScreenPorts, context: CallerContext, ids: readonly string[], note: string): Promise<AcknowledgeView> {
  if (!scope.viewer.canAcknowledge) throw forbidden('Only the Scrum Master or the Product Owner can close an entry with a note.');
  const acknowledged = await ports.log.acknowledge(ids, scope.projectKey, note, context.accountId, ports.clock.now());
  return { acknowledged };
}

export async function acknowledgeMany(context: CallerContext, ports: ScreenPorts, ids: readonly string[], note: string): Promise<AcknowledgeView> {
  const scope = await scopeOf(context, ports, requireProject(context));
  return acknowledgeIn(scope, ports, context, ids, note);
}

// ---------------------------------------------------------------------------------------------
// Issue panel

const PANEL_ROWS = 50;

export async function getWorkItemNudges(context: CallerContext, ports: ScreenPorts): Promise<WorkItemNudgesView> {
  const { issueKey, projectKey } = requireIssue(context);
  const scope = await scopeOf(context, ports, projectKey);
  // The nudge is for the whole team: everyone who can see the work item reads its entries.
  const page = await ports.log.page({ filter: { projectKey, issueKey }, sort: { by: 'occurredAt', direction: 'desc' }, limit: PANEL_ROWS, cursor: null });
  const rows = page.rows.map(toRow);
  const roles = resolvedRoles(scope.config, scope.directory);
  const people = await peopleNamed([...Object.values(roles).flat(), ...accountsIn(rows)], scope.directory.people);
  return { issueKey, roles, violations: rows, people, viewer: scope.viewer };
}

/** The panel acknowledges entries of its own work item only. */
export async function acknowledgeOnWorkItem(context: CallerContext, ports: ScreenPorts, ids: readonly string[], note: string): Promise<AcknowledgeView> {
  const { issueKey, projectKey } = requireIssue(context);
  const scope = await scopeOf(context, ports, projectKey);
  const { rows } = await allRows(ports, { projectKey, issueKey }, { by: 'occurredAt', direction: 'desc' }, 1000);
  const onThisItem = new Set(rows.map((r) => r.id));
  const foreign = ids.filter((id) => !onThisItem.has(id));
  if (foreign.length > 0) throw forbidden(`These entries do not belong to ${issueKey}: ${foreign.join(', ')}`);
  return acknowledgeIn(scope, ports, context, ids, note);
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

/** Monday of the ISO week, as YYYY-MM-DD (UTC). */
export function weekStart(iso: string): string {
  const date = new Date(iso);
  const day = (date.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

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

/** The charts from counts per rule, roles and week or sprint. */
export function chartsFromCounts(counts: readonly ChartCount[], bucket: 'sprint' | 'week', sprintNames: ReadonlyMap<string, { name: string; start: string }>): Omit<ChartsView, 'viewer'> {
  const keyOf = (c: ChartCount): string | null => (bucket === 'week' ? (c.week === undefined ? null : new Date(weekStartMs(c.week)).toISOString().slice(0, 10)) : (c.sprintId ?? null));
  const totals = new Map<string, number>();
  const perRule = new Map<string, number>();
  for (const c of counts) {
    const key = keyOf(c);
    if (key === null) continue;
    totals.set(key, (totals.get(key) ?? 0) + c.count);
    perRule.set(`${key}\u0000${c.rule}`, (perRule.get(`${key}\u0000${c.rule}`) ?? 0) + c.count);
  }
  const order = (key: string): string => (bucket === 'week' ? key : sprintNames.get(key)?.start ?? key.padStart(12, '0'));
  const keys = [...totals.keys()].sort((a, b) => order(a).localeCompare(order(b))).slice(-CHART_BUCKETS);
  const buckets = keys.map((key) => ({ key, label: bucket === 'week' ? `Week of ${key}` : sprintNames.get(key)?.name ?? `Sprint ${key}` }));
  const latest = keys[keys.length - 1];
  const patterns = new Map<string, number>();
  for (const c of counts) {
    if (latest === undefined || keyOf(c) !== latest) continue;
    for (const role of rolesOrNone(c.roles ?? [])) patterns.set(`${role}\u0000${c.rule}`, (patterns.get(`${role}\u0000${c.rule}`) ?? 0) + c.count);
  }
  const when = bucket === 'week' ? 'this week' : 'this sprint';
  const topPatterns = [...patterns]
    .map(([key, count]) => {
      const [role, rule] = key.split('\u0000') as [RoleKey | 'none', RuleId];
      return { role, rule, count, bucket: latest!, text: `${ROLE_SUBJECTS[role]} ${RULE_PHRASES[rule]} ${count} ${count === 1 ? 'time' : 'times'} ${when}` };
    })
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule))
    .slice(0, 5);
  return {
    bucket,
    buckets,
    perRule: keys.flatMap((key) =>
      [...RULE_CATALOGUE.keys()].flatMap((rule) => {
        const count = perRule.get(`${key}\u0000${rule}`) ?? 0;
        return count > 0 ? [{ bucket: key, rule, count }] : [];
      }),
    ),
    topPatterns,
    trend: keys.map((key) => ({ bucket: key, count: totals.get(key) ?? 0 })),
  };
}

export async function violationCharts(context: CallerContext, ports: ScreenPorts, filter: FilterInput, bucket: 'sprint' | 'week'): Promise<ChartsView> {
  const scope = await scopeOf(context, ports, requireProject(context));
  const scoped = scopedFilter(scope.projectKey, filter, scope.viewer);
  if (scoped === null) return { bucket, buckets: [], perRule: [], topPatterns: [], trend: [], viewer: scope.viewer };
  // Counts, not rows: one read of the totals (and of the rows of days not yet in them).
  const [counts, sprints] = await Promise.all([
    ports.log.counts(scoped, [bucket, 'roles'], bucket === 'week' ? { latestWeeks: CHART_BUCKETS } : {}),
    bucket === 'sprint' ? projectSprints(scope.projectKey, 'app') : Promise.resolve([]),
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

export const CSV_COLUMNS = [
  'When', 'Work item', 'Rule', 'Rule title', 'Mode', 'Outcome', 'Actor account id', 'Actor', 'Actor roles',
  'From', 'To', 'Sprint', 'Status', 'Note', 'Acknowledged by', 'Acknowledged at',
] as const;

export function toCsv(rows: readonly ViolationRecord[], names: ReadonlyMap<string, string>): string {
  const lines = [CSV_COLUMNS.map(csvCell).join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.occurredAt, row.issueKey, row.rule, RULE_CATALOGUE.get(row.rule)?.title ?? row.rule, row.mode, row.outcome,
        row.actor, names.get(row.actor) ?? '', row.actorRoles.join(' '),
        row.fromString ?? row.fromValue, row.toString ?? row.toValue, row.sprintId, row.status, row.ackNote,
        row.ackBy === null ? null : names.get(row.ackBy) ?? row.ackBy, row.ackAt,
      ].map(csvCell).join(','),
    );
  }
  // CRLF, as RFC 4180 and spreadsheets expect.
  return `${lines.join('\r\n')}\r\n`;
}

export async function exportCsv(context: CallerContext, ports: ScreenPorts, filter: FilterInput, sort: SortInput): Promise<CsvView> {
  const scope = await scopeOf(context, ports, requireProject(context));
  const scoped = scopedFilter(scope.projectKey, filter, scope.viewer);
  const date = ports.clock.now().toISOString().slice(0, 10);
  const filename = `scrum-role-guard-${scope.projectKey}-${date}.csv`;
  if (scoped === null) return { filename, csv: toCsv([], new Map()), rowCount: 0, truncated: false };
  const { rows, more } = await allRows(ports, scoped, sort, CSV_MAX_ROWS);
  const people = await peopleNamed(rows.flatMap((r) => (r.ackBy ? [r.actor, r.ackBy] : [r.actor])), scope.directory.people);
  const names = new Map(people.map((p) => [p.accountId, p.displayName]));
  return { filename, csv: toCsv(rows, names), rowCount: rows.length, truncated: more };
}
