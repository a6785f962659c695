/**
 * Counts without counting every row: totals per day and group, kept for "sealed" days only.
 *
 * A day is sealed once it is over: its rows are grouped by (sprint, rule, status, mode, roles) into
 * TOTALS_TABLE, and the day is marked in SEALED_DAYS_TABLE with its row and open counts. A count adds
 * the totals of the sealed days to the rows of every other day, counted from the log itself (today,
 * yesterday, and any day unsealed since). So a count is exact whatever the state of the sealing:
 *
 * - a new row lands on a day that is not sealed (rows are recorded as they happen), and a redelivered
 *   event finds its row already there: nothing to correct, and the same violation never counts twice;
 * - whatever changes rows of a sealed day (acknowledging, retention, erasing an account) unseals the
 *   day first, and again after the change, so the day is counted from its rows until it is sealed anew;
 * - sealing writes the totals first and marks the day last, and the mark is written only when the
 *   totals still agree with the day's rows at that instant (one statement), so a change that raced it
 *   leaves the day unsealed rather than wrong.
 *
 * Why not a total written with each row: Forge SQL takes one statement a request, with no transaction
 * across requests and no triggers (TiDB has none), so a second write per row could be lost between the
 * two, and a redelivery could not tell whether it had been counted. It would also be a third SQL request
 * per violation where the budget is two (the row and the work item's summary).
 */
import { z } from 'zod';
import type { ViolationCounts, ViolationFilter } from '../../app/ports';
import { SEALED_DAYS_TABLE, TOTALS_TABLE, VIOLATION_TABLE } from './migrations';
import { maskToRoles, violationRowSchema } from './records';
import { whereOf, type Clause, type SqlParam } from './query';

export const DAY_MS = 86_400_000;
/** The UTC day number of an instant (days since 1970-01-01), in SQL and here alike. */
export const DAY_OF_OCCURRED = `occurred_at DIV ${DAY_MS}`;

export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** A day is sealed only once it is this many days old, so no late row can still land on it. */
export const SEAL_AFTER_DAYS = 2;

export type CountDimension = 'day' | 'sprint' | 'roles';

/** One count: a rule, and the day, sprint or roles it was grouped by. */
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

// ---------------------------------------------------------------------------------------------
// Counting

/** The totals can answer a filter on rules, statuses, modes, roles and dates; not one on people or work items. */
export function totalsServe(filter: ViolationFilter): boolean {
  return (filter.actors === undefined || filter.actors.length === 0) && filter.issueKey === undefined;
}

/** The totals' conditions: their columns carry the same names as the log's. */
function totalsWhere(filter: ViolationFilter): Clause {
  const { projectKey, rules, modes, statuses, roles } = filter;
  return whereOf({ projectKey, rules, modes, statuses, roles });
}

/** Runs of consecutive days, as [first, last] pairs. */
function runsOf(days: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[1] === day - 1) last[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}

interface GroupColumns {
  readonly select: string[];
  readonly group: string[];
}

function groupColumns(by: readonly CountDimension[], source: 'log' | 'totals'): GroupColumns {
  const select: string[] = [];
  const group: string[] = [];
  const add = (expression: string, alias: string): void => {
    select.push(`${expression} AS ${alias}`);
    group.push(expression);
  };
  if (by.includes('day')) add(source === 'log' ? DAY_OF_OCCURRED : 'day', 'g_day');
  if (by.includes('sprint')) add(source === 'log' ? "COALESCE(sprint_id, '')" : 'sprint_key', 'g_sprint');
  if (by.includes('roles')) add('actor_roles', 'g_roles');
  add('rule_id', 'g_rule');
  return { select, group };
}

const countRowSchema = z.object({
  g_day: dbNumber.optional(),
  g_sprint: z.string().optional(),
  g_roles: dbNumber.optional(),
  g_rule: violationRowSchema.shape.rule_id,
  n: dbNumber,
});

/**
 * Counts of the entries `filter` matches, grouped by rule and `by`. Two requests at most: the sealed
 * days in range, then one statement adding their totals to the rows of the other days.
 */
export async function countEntries(db: Sql, filter: ViolationFilter, by: readonly CountDimension[]): Promise<CountRow[]> {
  const where = whereOf(filter);
  const fromMs = filter.from === undefined ? null : Date.parse(filter.from);
  const toMs = filter.to === undefined ? null : Date.parse(filter.to);
  // Days wholly inside [from, to] may come from the totals; the rest is counted from rows.
  const firstWhole = fromMs === null ? null : Math.ceil(fromMs / DAY_MS);
  const lastWhole = toMs === null ? null : dayOf(toMs + 1) - 1;
  let sealed: number[] = [];
  if (totalsServe(filter) && (firstWhole === null || lastWhole === null || firstWhole <= lastWhole)) {
    const range: SqlParam[] = [filter.projectKey];
    let rangeSql = '';
    if (firstWhole !== null) {
      rangeSql += ' AND day >= ?';
      range.push(firstWhole);
    }
    if (lastWhole !== null) {
      rangeSql += ' AND day <= ?';
      range.push(lastWhole);
    }
    const rows = await db.select(`SELECT day FROM ${SEALED_DAYS_TABLE} WHERE project_key = ?${rangeSql} ORDER BY day`, range);
    sealed = parse(z.object({ day: dbNumber }), rows, SEALED_DAYS_TABLE).map((r) => r.day);
  }
  const runs = runsOf(sealed);

  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (runs.length > 0) {
    const cols = groupColumns(by, 'totals');
    const totals = totalsWhere(filter);
    parts.push(
      `SELECT ${cols.select.join(', ')}, SUM(n) AS n FROM ${TOTALS_TABLE} WHERE ${totals.sql} AND (${runs.map(() => '(day >= ? AND day <= ?)').join(' OR ')}) GROUP BY ${cols.group.join(', ')}`,
    );
    params.push(...totals.params, ...runs.flat());
  }
  // The rows outside the sealed runs: before the first, between two, after the last.
  const gaps: string[] = [];
  const gapParams: number[] = [];
  runs.forEach(([first, last], i) => {
    if (i === 0) {
      gaps.push('occurred_at < ?');
      gapParams.push(first * DAY_MS);
    }
    const next = runs[i + 1];
    if (next === undefined) {
      gaps.push('occurred_at >= ?');
      gapParams.push((last + 1) * DAY_MS);
    } else {
      gaps.push('(occurred_at >= ? AND occurred_at < ?)');
      gapParams.push((last + 1) * DAY_MS, next[0] * DAY_MS);
    }
  });
  const cols = groupColumns(by, 'log');
  parts.push(
    `SELECT ${cols.select.join(', ')}, COUNT(*) AS n FROM ${VIOLATION_TABLE} WHERE ${where.sql}${gaps.length > 0 ? ` AND (${gaps.join(' OR ')})` : ''} GROUP BY ${cols.group.join(', ')}`,
  );
  params.push(...where.params, ...gapParams);

  const rows = parse(countRowSchema, await db.select(parts.length === 1 ? parts[0]! : parts.map((p, i) => `SELECT * FROM (${p}) AS part${i}`).join(' UNION ALL '), params), 'counts');
  // The same group can come from both parts: add them up.
  const merged = new Map<string, CountRow>();
  for (const r of rows) {
    const key = JSON.stringify([r.g_day ?? null, r.g_sprint ?? null, r.g_roles ?? null, r.g_rule]);
    const before = merged.get(key);
    const row: CountRow = {
      ...(by.includes('day') ? { day: r.g_day! } : {}),
      ...(by.includes('sprint') ? { sprintId: r.g_sprint === '' || r.g_sprint === undefined ? null : r.g_sprint } : {}),
      ...(by.includes('roles') ? { roles: maskToRoles(r.g_roles!) } : {}),
      rule: r.g_rule,
      count: r.n + (before?.count ?? 0),
    };
    merged.set(key, row);
  }
  return [...merged.values()];
}

// ---------------------------------------------------------------------------------------------
// Sealing

/** Unmarks days, so their rows are counted from the log until they are sealed again. */
export async function unsealDays(db: Sql, projectKey: string, days: readonly number[]): Promise<void> {
  for (let start = 0; start < days.length; start += 200) {
    const chunk = days.slice(start, start + 200);
    await db.update(`DELETE FROM ${SEALED_DAYS_TABLE} WHERE project_key = ? AND day IN (${chunk.map(() => '?').join(', ')})`, [projectKey, ...chunk]);
  }
}

/** Unmarks the days that hold any of these entries of the project (ids of other projects are left alone). */
export async function unsealDaysOf(db: Sql, projectKey: string, ids: readonly string[]): Promise<void> {
  await db.update(
    `DELETE FROM ${SEALED_DAYS_TABLE} WHERE project_key = ? AND day IN (SELECT ${DAY_OF_OCCURRED} FROM ${VIOLATION_TABLE} WHERE project_key = ? AND id IN (${ids.map(() => '?').join(', ')}))`,
    [projectKey, projectKey, ...ids],
  );
}

/** Unmarks every day before `day` (inclusive), in every project, and drops their totals. */
export async function unsealUpTo(db: Sql, day: number): Promise<void> {
  await db.update(`DELETE FROM ${SEALED_DAYS_TABLE} WHERE day <= ?`, [day]);
}

/** Drops the totals of every day before `day`, in every project (days retention has emptied). */
export async function dropTotalsBefore(db: Sql, day: number): Promise<void> {
  await db.update(`DELETE FROM ${TOTALS_TABLE} WHERE day < ?`, [day]);
}

/** The (project, day) pairs an account's entries fall on. */
export async function daysOfActor(db: Sql, accountId: string): Promise<Map<string, number[]>> {
  const rows = await db.select(`SELECT DISTINCT project_key, ${DAY_OF_OCCURRED} AS day FROM ${VIOLATION_TABLE} WHERE actor = ?`, [accountId]);
  const out = new Map<string, number[]>();
  for (const r of parse(z.object({ project_key: z.string(), day: dbNumber }), rows, VIOLATION_TABLE)) out.set(r.project_key, [...(out.get(r.project_key) ?? []), r.day]);
  return out;
}

/** Days sealed together at most: one month of rows in a statement keeps each statement small. */
const SEAL_RUN_DAYS = 31;

/**
 * Seals days `first`..`last` of one project: their totals rewritten from their rows, then each day's
 * mark, written only for a day whose totals agree with its rows at that instant (one statement).
 * Answers how many of the days are sealed now.
 */
export async function sealRun(db: Sql, projectKey: string, first: number, last: number): Promise<number> {
  const from = first * DAY_MS;
  const to = (last + 1) * DAY_MS;
  await db.update(`DELETE FROM ${SEALED_DAYS_TABLE} WHERE project_key = ? AND day >= ? AND day <= ?`, [projectKey, first, last]);
  await db.update(`DELETE FROM ${TOTALS_TABLE} WHERE project_key = ? AND day >= ? AND day <= ?`, [projectKey, first, last]);
  await db.update(
    `INSERT INTO ${TOTALS_TABLE} (project_key, day, sprint_key, rule_id, status, enforcement_mode, actor_roles, n)
     SELECT project_key, ${DAY_OF_OCCURRED}, COALESCE(sprint_id, ''), rule_id, status, enforcement_mode, actor_roles, COUNT(*)
     FROM ${VIOLATION_TABLE} WHERE project_key = ? AND occurred_at >= ? AND occurred_at < ?
     GROUP BY project_key, ${DAY_OF_OCCURRED}, COALESCE(sprint_id, ''), rule_id, status, enforcement_mode, actor_roles`,
    [projectKey, from, to],
  );
  // The day counts of both sides, each read by range (no correlated subquery: engines scan for those).
  return db.update(
    `INSERT IGNORE INTO ${SEALED_DAYS_TABLE} (project_key, day, n, open_n)
     SELECT t.project_key, t.day, t.n, t.open_n FROM (
       SELECT project_key, day, SUM(n) AS n, SUM(CASE WHEN status = 'open' THEN n ELSE 0 END) AS open_n
       FROM ${TOTALS_TABLE} WHERE project_key = ? AND day >= ? AND day <= ? GROUP BY project_key, day
     ) AS t JOIN (
       SELECT ${DAY_OF_OCCURRED} AS day, COUNT(*) AS n, SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_n
       FROM ${VIOLATION_TABLE} WHERE project_key = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY ${DAY_OF_OCCURRED}
     ) AS l ON l.day = t.day AND l.n = t.n AND l.open_n = t.open_n`,
    [projectKey, first, last, projectKey, from, to],
  );
}

export interface SealResult {
  /** Days sealed by this run (new, or sealed again because their rows had changed). */
  readonly sealed: number;
  /** Sealed days whose rows are all gone (their totals dropped). */
  readonly dropped: number;
  /** Whether days were left for the next run because the time budget ran out. */
  readonly unfinished: boolean;
}

/**
 * Seals every day older than SEAL_AFTER_DAYS that has rows and is not sealed, or whose mark no longer
 * agrees with its rows (a change that raced a seal), and drops the totals of sealed days left without
 * rows. Newest days first, so what the screens show most comes from the totals soonest.
 */
export async function sealClosedDays(db: Sql, now: Date, budgetMs: number): Promise<SealResult> {
  const started = Date.now();
  const closedBefore = (dayOf(now.getTime()) - SEAL_AFTER_DAYS + 1) * DAY_MS;
  const projects = parse(
    z.object({ project_key: z.string() }),
    await db.select(`SELECT project_key FROM ${VIOLATION_TABLE} GROUP BY project_key UNION SELECT project_key FROM ${SEALED_DAYS_TABLE} GROUP BY project_key`, []),
    VIOLATION_TABLE,
  ).map((r) => r.project_key);
  let sealed = 0;
  let dropped = 0;
  for (const projectKey of projects.sort()) {
    // Rows per day from the (project_key, occurred_at, id) index alone: no table row is read. A day
    // whose row count still matches its mark is left; an acknowledgement unseals its days itself.
    const dayCounts = z.object({ day: dbNumber, n: dbNumber });
    const [logDays, marks] = await Promise.all([
      db.select(`SELECT ${DAY_OF_OCCURRED} AS day, COUNT(*) AS n FROM ${VIOLATION_TABLE} WHERE project_key = ? AND occurred_at < ? GROUP BY ${DAY_OF_OCCURRED}`, [projectKey, closedBefore]),
      db.select(`SELECT day, n FROM ${SEALED_DAYS_TABLE} WHERE project_key = ?`, [projectKey]),
    ]);
    const have = new Map(parse(dayCounts, marks, SEALED_DAYS_TABLE).map((m) => [m.day, m]));
    const rows = parse(dayCounts, logDays, VIOLATION_TABLE);
    const withRows = new Set(rows.map((r) => r.day));
    const gone = [...have.keys()].filter((day) => !withRows.has(day) || day >= dayOf(closedBefore));
    if (gone.length > 0) {
      await unsealDays(db, projectKey, gone);
      for (const day of gone) await db.update(`DELETE FROM ${TOTALS_TABLE} WHERE project_key = ? AND day = ?`, [projectKey, day]);
      dropped += gone.length;
    }
    const due = rows
      .filter((r) => {
        const mark = have.get(r.day);
        return mark === undefined || mark.n !== r.n;
      })
      .map((r) => r.day);
    // Consecutive due days a month at a time, newest first.
    const runs = runsOf(due).flatMap(([first, last]) => {
      const parts: [number, number][] = [];
      for (let end = last; end >= first; end -= SEAL_RUN_DAYS) parts.push([Math.max(first, end - SEAL_RUN_DAYS + 1), end]);
      return parts;
    });
    for (const [first, last] of runs.sort((a, b) => b[0] - a[0])) {
      if (Date.now() - started > budgetMs) return { sealed, dropped, unfinished: true };
      sealed += await sealRun(db, projectKey, first, last);
    }
  }
  return { sealed, dropped, unfinished: false };
}
