/**
 * Counts without counting every row: totals per week and group, kept for the "sealed" part of each
 * week only.
 *
 * Once a day is over (SEAL_AFTER_DAYS), the daily job seals it: the rows of its week up to the end of
 * that day are grouped by (sprint, rule, roles, status, mode) into TOTALS_TABLE, and the week is marked
 * in SEALED_WEEKS_TABLE with the instant its totals reach (`sealed_until`) and its row and open counts.
 * A count adds the totals of the sealed weeks to the rows of everything else, counted from the log
 * itself (yesterday and today, and any week unsealed since). So a count is exact whatever the state of
 * the sealing:
 *
 * - a new row lands after every seal (rows are recorded as they happen), and a redelivered event finds
 *   its row already there: nothing to correct, and the same violation never counts twice;
 * - whatever changes rows of a sealed week (acknowledging, retention, erasing an account) unseals the
 *   week first and seals it anew after the change, so the week is counted from its rows in between;
 * - sealing writes the totals first and marks the week last, and the mark is written only when the
 *   totals still agree with the week's rows at that instant (one statement), so a change that raced it
 *   leaves the week unsealed rather than wrong; the daily job also re-seals any week whose row or open
 *   count no longer matches its mark (a late row, or a change cut short).
 *
 * Why not a total written with each row, as a running total: Forge SQL takes one statement a request,
 * with no transaction across requests and no triggers (TiDB has none), so a second write per row could
 * be lost between the two, and a redelivery could not tell whether it had been counted. It would also
 * be a third SQL request per violation where the budget is two (the row and the work item's summary).
 *
 * Why weeks, and this key order: the screens count per sprint or per week. Days would make about
 * 220,000 total rows at a million log rows; weeks about a seventh of that. The primary key starts
 * (project, sprint, rule, roles) and a covering index (project, week, rule, roles), so both groupings
 * are read in index order and the database groups without sorting.
 */
import { z } from 'zod';
import type { ViolationCounts, ViolationFilter } from '../../app/ports';
import { WEEK_MS, WEEK_OFFSET_MS, weekNumber as weekOf, weekStartMs } from '../../core/violations';
import { SEALED_WEEKS_TABLE, TOTALS_TABLE, VIOLATION_TABLE } from './migrations';
import { maskToRoles, violationRowSchema } from './records';
import { whereOf, type Clause, type SqlParam } from './query';

export { WEEK_MS, weekOf, weekStartMs };
export const DAY_MS = 86_400_000;
/** The week number of a row (see weekNumber in the ports), in SQL. */
export const WEEK_OF_OCCURRED = `(occurred_at + ${WEEK_OFFSET_MS}) DIV ${WEEK_MS}`;

/** A day is sealed only once it is this many days old, so no late row can still land on it. */
export const SEAL_AFTER_DAYS = 2;

/** The instant before which every row is sealable at `now`: the start of the day before yesterday's end. */
export function sealableBefore(now: Date): number {
  return (Math.floor(now.getTime() / DAY_MS) - SEAL_AFTER_DAYS + 1) * DAY_MS;
}

/** Rows grouped by one sealing statement at most: keeps each statement well inside TiDB's limits. */
export const SEAL_ROWS_PER_STATEMENT = 20_000;
/** Sealed weeks a change re-seals at once; further ones are left to the daily job (counted from rows meanwhile). */
const RESEAL_INLINE_WEEKS = 8;

export type CountDimension = 'week' | 'sprint' | 'roles';

/** One count: a rule, and the week, sprint or roles it was grouped by. */
export type CountRow = ViolationCounts[number];

export interface Sql {
  select(query: string, params: readonly SqlParam[]): Promise<unknown[]>;
  update(query: string, params: readonly SqlParam[]): Promise<number>;
}

const dbNumber = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);

function parse<T>(schema: z.ZodType<T>, rows: readonly unknown[], what: string): T[] {
  return rows.map((row, index) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new Error(`${what}: row ${index} is not what the schema says: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  });
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** A sealed week: its totals count the week's rows from its start up to `until`. */
export interface SealMark {
  readonly week: number;
  readonly until: number;
}

const markSchema = z.object({ week: dbNumber, sealed_until: dbNumber });
const toMark = (r: z.infer<typeof markSchema>): SealMark => ({ week: r.week, until: r.sealed_until });

// ---------------------------------------------------------------------------------------------
// Counting

/** The totals can answer a filter on rules, statuses, modes, roles and dates; not one on people or work items. */
export function totalsServe(filter: ViolationFilter): boolean {
  return (filter.actors === undefined || filter.actors.length === 0) && filter.issueKey === undefined;
}

/** The totals' conditions: their columns carry the same names as the log's (statuses and modes are columns of their own). */
function totalsWhere(filter: ViolationFilter): Clause {
  const { projectKey, rules, roles } = filter;
  return whereOf({ projectKey, rules, roles });
}

/** The count columns, one per status and mode, and the log's condition for each. */
const COUNT_COLUMNS = [
  { column: 'open_flag', status: 'open', mode: 'flag' },
  { column: 'open_block', status: 'open', mode: 'block' },
  { column: 'ack_flag', status: 'acknowledged', mode: 'flag' },
  { column: 'ack_block', status: 'acknowledged', mode: 'block' },
] as const;

/** The count columns a filter on statuses and modes keeps. */
function countedColumns(filter: ViolationFilter): string[] {
  const wanted = COUNT_COLUMNS.filter(
    (c) => (filter.statuses === undefined || filter.statuses.length === 0 || filter.statuses.includes(c.status)) && (filter.modes === undefined || filter.modes.length === 0 || filter.modes.includes(c.mode)),
  );
  return wanted.map((c) => c.column);
}

/** Runs of consecutive numbers, as [first, last] pairs. */
function runsOf(values: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const value of [...new Set(values)].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[1] === value - 1) last[1] = value;
    else runs.push([value, value]);
  }
  return runs;
}

/** Half-open intervals [start, end), sorted, with touching ones joined. */
function joined(intervals: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last !== undefined && last[1] >= start) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/**
 * GROUP BY in the order of an index, so the database reads groups one after another instead of sorting:
 * (week, rule, roles) is the totals' week index, (sprint, rule, roles) their primary key.
 */
function groupColumns(by: readonly CountDimension[], source: 'log' | 'totals'): { select: string[]; group: string[] } {
  const select: string[] = [];
  const group: string[] = [];
  const add = (expression: string, alias: string): void => {
    select.push(`${expression} AS ${alias}`);
    group.push(expression);
  };
  if (by.includes('week')) add(source === 'log' ? WEEK_OF_OCCURRED : 'week', 'g_week');
  if (by.includes('sprint')) add(source === 'log' ? "COALESCE(sprint_id, '')" : 'sprint_key', 'g_sprint');
  add('rule_id', 'g_rule');
  if (by.includes('roles')) add('actor_roles', 'g_roles');
  return { select, group };
}

const countRowSchema = z.object({
  g_week: dbNumber.optional(),
  g_sprint: z.string().optional(),
  g_roles: dbNumber.optional(),
  g_rule: violationRowSchema.shape.rule_id,
  n: dbNumber,
});

/** The sealed weeks of a project that lie wholly inside [fromMs, toMs] (either end open when null). */
async function sealedWithin(db: Sql, projectKey: string, fromMs: number | null, toMs: number | null): Promise<SealMark[]> {
  const params: SqlParam[] = [projectKey];
  let range = '';
  if (fromMs !== null) {
    range += ' AND week >= ?';
    params.push(weekOf(fromMs));
  }
  if (toMs !== null) {
    range += ' AND week <= ?';
    params.push(weekOf(toMs));
  }
  const marks = parse(markSchema, await db.select(`SELECT week, sealed_until FROM ${SEALED_WEEKS_TABLE} WHERE project_key = ?${range} ORDER BY week`, params), SEALED_WEEKS_TABLE).map(toMark);
  return marks.filter((m) => (fromMs === null || weekStartMs(m.week) >= fromMs) && (toMs === null || m.until - 1 <= toMs));
}

export interface CountOptions {
  /**
   * Grouping by week, only the latest this many weeks with matching entries are needed (a chart of the
   * latest weeks): the totals are read from the last of them on, through their week index.
   */
  readonly latestWeeks?: number;
}

/**
 * Counts of the entries `filter` matches, grouped by rule and `by`. Two requests: the sealed weeks in
 * range, then one statement adding their totals to the rows of everything else.
 */
export async function countEntries(db: Sql, filter: ViolationFilter, by: readonly CountDimension[], options: CountOptions = {}): Promise<CountRow[]> {
  const fromMs = filter.from === undefined ? null : Date.parse(filter.from);
  const toMs = filter.to === undefined ? null : Date.parse(filter.to);
  const sealed = totalsServe(filter) && (fromMs === null || toMs === null || fromMs <= toMs) ? await sealedWithin(db, filter.projectKey, fromMs, toMs) : [];

  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (sealed.length > 0) {
    const cols = groupColumns(by, 'totals');
    const totals = totalsWhere(filter);
    const weeks = runsOf(sealed.map((m) => m.week));
    const columns = countedColumns(filter);
    const counted = columns.join(' + ');
    // A group whose counted columns are all 0 holds no entry the filter matches (every group holds some entry).
    const inSealed = `(${weeks.map(() => 'week BETWEEN ? AND ?').join(' OR ')})${columns.length < COUNT_COLUMNS.length ? ` AND ${counted} > 0` : ''}`;
    let where = `${totals.sql} AND ${inSealed}`;
    params.push(...totals.params, ...weeks.flat());
    if (by.includes('week') && options.latestWeeks !== undefined) {
      // Weeks before the latest few with matching totals cannot be among the latest few overall: every
      // week not sealed is counted from rows in full below.
      where += ` AND week >= (SELECT MIN(week) FROM (SELECT week FROM ${TOTALS_TABLE} WHERE ${totals.sql} AND ${inSealed} GROUP BY week ORDER BY week DESC LIMIT ${options.latestWeeks}) AS latest)`;
      params.push(...totals.params, ...weeks.flat());
    }
    parts.push(`SELECT ${cols.select.join(', ')}, SUM(${counted}) AS n FROM ${TOTALS_TABLE} WHERE ${where} GROUP BY ${cols.group.join(', ')}`);
  }
  // The rows outside what the totals hold: before the first sealed span, between two, after the last.
  const spans = joined(sealed.map((m) => [weekStartMs(m.week), m.until]));
  const gaps: string[] = [];
  const gapParams: number[] = [];
  spans.forEach(([start, end], i) => {
    if (i === 0) {
      gaps.push('occurred_at < ?');
      gapParams.push(start);
    }
    const next = spans[i + 1];
    if (next === undefined) {
      gaps.push('occurred_at >= ?');
      gapParams.push(end);
    } else {
      gaps.push('(occurred_at >= ? AND occurred_at < ?)');
      gapParams.push(end, next[0]);
    }
  });
  const where = whereOf(filter);
  const cols = groupColumns(by, 'log');
  parts.push(
    `SELECT ${cols.select.join(', ')}, COUNT(*) AS n FROM ${VIOLATION_TABLE} WHERE ${where.sql}${gaps.length > 0 ? ` AND (${gaps.join(' OR ')})` : ''} GROUP BY ${cols.group.join(', ')}`,
  );
  params.push(...where.params, ...gapParams);

  const query = parts.length === 1 ? parts[0]! : parts.map((p, i) => `SELECT * FROM (${p}) AS part${i}`).join(' UNION ALL ');
  const rows = parse(countRowSchema, await db.select(query, params), 'counts');
  // The same group can come from both parts: add them up.
  const merged = new Map<string, CountRow>();
  for (const r of rows) {
    const key = `${r.g_week ?? ''}|${r.g_sprint ?? ''}|${r.g_roles ?? ''}|${r.g_rule}`;
    const before = merged.get(key);
    merged.set(key, {
      ...(by.includes('week') ? { week: r.g_week! } : {}),
      ...(by.includes('sprint') ? { sprintId: r.g_sprint === '' || r.g_sprint === undefined ? null : r.g_sprint } : {}),
      ...(by.includes('roles') ? { roles: maskToRoles(r.g_roles!) } : {}),
      rule: r.g_rule,
      count: r.n + (before?.count ?? 0),
    });
  }
  return [...merged.values()];
}

// ---------------------------------------------------------------------------------------------
// Sealing

/**
 * Seals weeks `first`..`last` of one project: their totals rewritten from their rows up to `until`
 * (the end of `last`, or earlier when `last` is still under way), then each week's mark, written only
 * for a week whose totals agree with its rows at that instant (one statement). The counts the mark is
 * checked against come from two indexes alone, (project, time) and (project, status, ...), so the check
 * reads no table row. Answers how many of the weeks are sealed now.
 */
export async function sealRun(db: Sql, projectKey: string, first: number, last: number, until: number): Promise<number> {
  const from = weekStartMs(first);
  await db.update(`DELETE FROM ${SEALED_WEEKS_TABLE} WHERE project_key = ? AND week BETWEEN ? AND ?`, [projectKey, first, last]);
  await db.update(`DELETE FROM ${TOTALS_TABLE} WHERE project_key = ? AND week BETWEEN ? AND ?`, [projectKey, first, last]);
  // Two seals of one week at once (the daily job and an acknowledgement) write the same keys: the first
  // one's stay, and the mark below is written only if the totals agree with the rows.
  const columns = COUNT_COLUMNS.map((c) => c.column);
  await db.update(
    `INSERT IGNORE INTO ${TOTALS_TABLE} (project_key, sprint_key, rule_id, actor_roles, week, ${columns.join(', ')})
     SELECT project_key, COALESCE(sprint_id, ''), rule_id, actor_roles, ${WEEK_OF_OCCURRED},
       ${COUNT_COLUMNS.map((c) => `SUM(CASE WHEN status = '${c.status}' AND enforcement_mode = '${c.mode}' THEN 1 ELSE 0 END)`).join(', ')}
     FROM ${VIOLATION_TABLE} WHERE project_key = ? AND occurred_at >= ? AND occurred_at < ?
     GROUP BY project_key, COALESCE(sprint_id, ''), rule_id, actor_roles, ${WEEK_OF_OCCURRED}`,
    [projectKey, from, until],
  );
  return db.update(
    `INSERT IGNORE INTO ${SEALED_WEEKS_TABLE} (project_key, week, sealed_until, n, open_n)
     SELECT t.project_key, t.week, CASE WHEN t.week = ? THEN ? ELSE (t.week + 1) * ${WEEK_MS} - ${WEEK_OFFSET_MS} END, t.n, t.open_n FROM (
       SELECT project_key, week, SUM(${columns.join(' + ')}) AS n, SUM(open_flag + open_block) AS open_n
       FROM ${TOTALS_TABLE} WHERE project_key = ? AND week BETWEEN ? AND ? GROUP BY project_key, week
     ) AS t JOIN (
       SELECT ${WEEK_OF_OCCURRED} AS week, COUNT(*) AS n
       FROM ${VIOLATION_TABLE} WHERE project_key = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY ${WEEK_OF_OCCURRED}
     ) AS l ON l.week = t.week AND l.n = t.n LEFT JOIN (
       SELECT ${WEEK_OF_OCCURRED} AS week, COUNT(*) AS n
       FROM ${VIOLATION_TABLE} WHERE project_key = ? AND status = 'open' AND occurred_at >= ? AND occurred_at < ? GROUP BY ${WEEK_OF_OCCURRED}
     ) AS o ON o.week = t.week
     WHERE COALESCE(o.n, 0) = t.open_n`,
    [last, until, projectKey, first, last, projectKey, from, until, projectKey, from, until],
  );
}

/** Unmarks weeks of a project, so their rows are counted from the log until they are sealed again. */
async function unseal(db: Sql, projectKey: string, weeks: readonly number[]): Promise<void> {
  for (let start = 0; start < weeks.length; start += 200) {
    const chunk = weeks.slice(start, start + 200);
    await db.update(`DELETE FROM ${SEALED_WEEKS_TABLE} WHERE project_key = ? AND week IN (${placeholders(chunk.length)})`, [projectKey, ...chunk]);
  }
}

/** Seals the given marks' weeks again, up to where each was sealed, consecutive weeks in one run. */
async function reseal(db: Sql, projectKey: string, marks: readonly SealMark[]): Promise<void> {
  const until = new Map(marks.map((m) => [m.week, m.until]));
  for (const [first, last] of runsOf(marks.map((m) => m.week))) await sealRun(db, projectKey, first, last, until.get(last)!);
}

/** Sealed weeks per project. */
export type SealMarks = ReadonlyMap<string, readonly SealMark[]>;

/**
 * Changes rows of sealed weeks and keeps the counts exact: the weeks `find` names are unsealed before
 * the change (a change cut short then leaves them counted from rows), and sealed again after it up to
 * where they were, together with any `find` names after the change (a seal that raced it). Beyond
 * RESEAL_INLINE_WEEKS weeks they are only unsealed, and the daily job seals them.
 */
export async function changeSealedWeeks<T>(db: Sql, find: () => Promise<SealMarks>, change: () => Promise<T>): Promise<T> {
  const before = await find();
  for (const [project, list] of before) await unseal(db, project, list.map((m) => m.week));
  const result = await change();
  const touched = new Map<string, Map<number, SealMark>>();
  for (const marks of [before, await find()]) {
    for (const [project, list] of marks) {
      const weeks = touched.get(project) ?? new Map<number, SealMark>();
      for (const mark of list) weeks.set(mark.week, mark);
      touched.set(project, weeks);
    }
  }
  let budget = RESEAL_INLINE_WEEKS;
  for (const [project, weeks] of touched) {
    const newestFirst = [...weeks.values()].sort((a, b) => b.week - a.week);
    const now = newestFirst.slice(0, budget);
    budget -= now.length;
    const later = newestFirst.slice(now.length);
    if (later.length > 0) await unseal(db, project, later.map((m) => m.week));
    if (now.length > 0) await reseal(db, project, now);
  }
  return result;
}

/** Marks with their project, grouped by project. */
function marksByProject(rows: readonly unknown[]): SealMarks {
  const out = new Map<string, SealMark[]>();
  for (const r of parse(markSchema.extend({ project_key: z.string() }), rows, SEALED_WEEKS_TABLE)) out.set(r.project_key, [...(out.get(r.project_key) ?? []), toMark(r)]);
  return out;
}

/** The sealed weeks that hold any of these entries of the project (ids of other projects are left alone). */
export async function sealedWeeksOf(db: Sql, project: string, ids: readonly string[]): Promise<SealMarks> {
  const rows = await db.select(
    `SELECT week, sealed_until FROM ${SEALED_WEEKS_TABLE} WHERE project_key = ? AND week IN (SELECT ${WEEK_OF_OCCURRED} FROM ${VIOLATION_TABLE} WHERE project_key = ? AND id IN (${placeholders(ids.length)}))`,
    [project, project, ...ids],
  );
  const marks = parse(markSchema, rows, SEALED_WEEKS_TABLE).map(toMark);
  return new Map(marks.length > 0 ? [[project, marks]] : []);
}

/** The sealed weeks, per project, that hold entries of an account. */
export async function sealedWeeksOfActor(db: Sql, accountId: string): Promise<SealMarks> {
  const rows = await db.select(
    `SELECT s.project_key, s.week, s.sealed_until FROM ${SEALED_WEEKS_TABLE} AS s JOIN (
       SELECT DISTINCT project_key, ${WEEK_OF_OCCURRED} AS week FROM ${VIOLATION_TABLE} WHERE actor = ?
     ) AS a ON a.project_key = s.project_key AND a.week = s.week`,
    [accountId],
  );
  return marksByProject(rows);
}

/** The sealed weeks, per project, that retention cuts through at `cutoff` (it empties the weeks before). */
export async function sealedWeeksCutAt(db: Sql, cutoff: number): Promise<SealMarks> {
  const week = weekOf(cutoff);
  if (weekStartMs(week) === cutoff) return new Map();
  const rows = await db.select(`SELECT project_key, week, sealed_until FROM ${SEALED_WEEKS_TABLE} WHERE week = ?`, [week]);
  return marksByProject(rows);
}

/** Unmarks every week before `week`, in every project (weeks retention empties). */
export async function unsealBefore(db: Sql, week: number): Promise<void> {
  await db.update(`DELETE FROM ${SEALED_WEEKS_TABLE} WHERE week < ?`, [week]);
}

/** Drops the totals of every week before `week`, in every project (weeks retention has emptied). */
export async function dropTotalsBefore(db: Sql, week: number): Promise<void> {
  await db.update(`DELETE FROM ${TOTALS_TABLE} WHERE week < ?`, [week]);
}

export interface SealResult {
  /** Weeks sealed by this run (new, extended to a later day, or sealed again because their rows had changed). */
  readonly sealed: number;
  /** Sealed weeks whose rows are all gone (their totals dropped). */
  readonly dropped: number;
  /** Whether weeks were left for the next run because the time budget ran out. */
  readonly unfinished: boolean;
}

const weekCountSchema = z.object({ week: dbNumber, n: dbNumber });

/**
 * Seals every week with rows before sealableBefore(now) that is not sealed, not sealed up to there, or
 * whose mark no longer agrees with its rows (their number, or the open ones among them), and drops the
 * totals of marks left without rows. The counts come from two indexes alone, no table row is read.
 * Newest weeks first, across projects; consecutive weeks are sealed together up to
 * SEAL_ROWS_PER_STATEMENT rows.
 */
export async function sealClosedWeeks(db: Sql, now: Date, budgetMs: number): Promise<SealResult> {
  const started = Date.now();
  const closedBefore = sealableBefore(now);
  const projects = parse(
    z.object({ project_key: z.string() }),
    await db.select(`SELECT project_key FROM ${VIOLATION_TABLE} GROUP BY project_key UNION SELECT project_key FROM ${SEALED_WEEKS_TABLE} GROUP BY project_key`, []),
    VIOLATION_TABLE,
  ).map((r) => r.project_key);
  let sealed = 0;
  let dropped = 0;
  const bound = (week: number): number => Math.min(weekStartMs(week + 1), closedBefore);
  const runs: { project: string; first: number; last: number }[] = [];
  for (const project of projects.sort()) {
    const [rowWeeks, openWeeks, markRows] = await Promise.all([
      db.select(`SELECT ${WEEK_OF_OCCURRED} AS week, COUNT(*) AS n FROM ${VIOLATION_TABLE} WHERE project_key = ? AND occurred_at < ? GROUP BY ${WEEK_OF_OCCURRED}`, [project, closedBefore]),
      db.select(`SELECT ${WEEK_OF_OCCURRED} AS week, COUNT(*) AS n FROM ${VIOLATION_TABLE} WHERE project_key = ? AND status = 'open' AND occurred_at < ? GROUP BY ${WEEK_OF_OCCURRED}`, [project, closedBefore]),
      db.select(`SELECT week, sealed_until, n, open_n FROM ${SEALED_WEEKS_TABLE} WHERE project_key = ?`, [project]),
    ]);
    const rows = new Map(parse(weekCountSchema, rowWeeks, VIOLATION_TABLE).map((r) => [r.week, r.n]));
    const open = new Map(parse(weekCountSchema, openWeeks, VIOLATION_TABLE).map((r) => [r.week, r.n]));
    const marks = parse(markSchema.extend({ n: dbNumber, open_n: dbNumber }), markRows, SEALED_WEEKS_TABLE);

    const gone = marks.filter((m) => !rows.has(m.week) || m.sealed_until > bound(m.week)).map((m) => m.week);
    if (gone.length > 0) {
      await unseal(db, project, gone);
      for (const [first, last] of runsOf(gone)) await db.update(`DELETE FROM ${TOTALS_TABLE} WHERE project_key = ? AND week BETWEEN ? AND ?`, [project, first, last]);
      dropped += gone.length;
    }
    const byWeek = new Map(marks.map((m) => [m.week, m]));
    const due = [...rows.keys()].filter((week) => {
      const mark = byWeek.get(week);
      return mark === undefined || mark.sealed_until !== bound(week) || mark.n !== rows.get(week) || mark.open_n !== (open.get(week) ?? 0);
    });
    // Consecutive due weeks cut into statements of at most SEAL_ROWS_PER_STATEMENT rows.
    for (const [first, last] of runsOf(due).reverse()) {
      let end = last;
      let size = 0;
      for (let week = last; week >= first; week--) {
        const n = rows.get(week) ?? 0;
        if (size > 0 && size + n > SEAL_ROWS_PER_STATEMENT) {
          runs.push({ project, first: week + 1, last: end });
          end = week;
          size = 0;
        }
        size += n;
      }
      runs.push({ project, first, last: end });
    }
  }
  // Newest weeks first across projects, so that what every project's screens show most comes from the
  // totals soonest (a large installation's first sealing takes several daily runs).
  for (const { project, first, last } of runs.sort((a, b) => b.last - a.last || a.project.localeCompare(b.project))) {
    if (Date.now() - started > budgetMs) return { sealed, dropped, unfinished: true };
    sealed += await sealRun(db, project, first, last, bound(last));
  }
  return { sealed, dropped, unfinished: false };
}
