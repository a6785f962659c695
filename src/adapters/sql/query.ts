/**
 * Builds the log's WHERE clauses, ORDER BY and keyset conditions. Every value is a bound parameter;
 * column names come only from the fixed tables below, never from input.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ViolationFilter, ViolationPageRequest } from '../../app/ports';
import { RULE_IDS } from '../../core/catalogue';
import { roleBit, SORT_KEYS } from './records';

export type SqlParam = string | number | null;

export interface Clause {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

type SortKey = (typeof SORT_KEYS)[number];

/** The whitelist: the only expressions ORDER BY and the keyset ever name. */
const SORT_EXPRESSIONS: Readonly<Record<SortKey, string>> = {
  occurredAt: 'occurred_at',
  rule: 'rule_id',
  actor: 'actor',
  // Null sorts as the empty text, so the keyset compares plain values on both engines.
  issueKey: "COALESCE(issue_key, '')",
  status: 'status',
};

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

export function whereOf(filter: ViolationFilter): Clause {
  const parts: string[] = ['project_key = ?'];
  const params: SqlParam[] = [filter.projectKey];
  const anyOf = (column: string, values: readonly string[] | undefined): void => {
    if (values === undefined || values.length === 0) return;
    parts.push(`${column} IN (${placeholders(values.length)})`);
    params.push(...values);
  };
  anyOf('rule_id', filter.rules);
  anyOf('actor', filter.actors);
  anyOf('enforcement_mode', filter.modes);
  anyOf('status', filter.statuses);
  if (filter.roles !== undefined && filter.roles.length > 0) {
    // Any of the roles: a bit of the actor's role set, or 'none' for an actor who held no role.
    const roleParts = filter.roles.map((role) => (role === 'none' ? 'actor_roles = 0' : '(actor_roles & ?) <> 0'));
    parts.push(`(${roleParts.join(' OR ')})`);
    for (const role of filter.roles) if (role !== 'none') params.push(roleBit(role));
  }
  if (filter.issueKey !== undefined) {
    parts.push('issue_key = ?');
    params.push(filter.issueKey);
  }
  // Both ends inclusive: the page sends the first and the last millisecond of the chosen days.
  if (filter.from !== undefined) {
    parts.push('occurred_at >= ?');
    params.push(Date.parse(filter.from));
  }
  if (filter.to !== undefined) {
    parts.push('occurred_at <= ?');
    params.push(Date.parse(filter.to));
  }
  return { sql: parts.join(' AND '), params };
}

// ---------------------------------------------------------------------------------------------
// Sorting and the keyset

export interface OrderKey {
  readonly expression: string;
  readonly descending: boolean;
}

/**
 * Work item keys of one project share their prefix, so ordering by length first puts them in number
 * order (DEMO-4 before DEMO-12). LENGTH counts bytes on MySQL and characters on SQLite: the same for
 * keys, which are ASCII.
 */
const ISSUE_KEY_LENGTH = "LENGTH(COALESCE(issue_key, ''))";

/**
 * The full order: the chosen column, then newest first within equal values, then the id, which is
 * unique, so every row has exactly one place and a page boundary never skips or repeats a row.
 */

export function orderKeys(sort: ViolationPageRequest['sort']): OrderKey[] {
  const descending = sort.direction === 'desc';
  const keys: OrderKey[] = sort.by === 'issueKey' ? [{ expression: ISSUE_KEY_LENGTH, descending }] : [];
  keys.push({ expression: SORT_EXPRESSIONS[sort.by], descending });
  if (sort.by !== 'occurredAt') keys.push({ expression: 'occurred_at', descending: true });
  keys.push({ expression: 'id', descending: sort.by === 'occurredAt' ? descending : true });
  return keys;
}

export function orderByOf(keys: readonly OrderKey[]): string {
  return keys.map((k) => `${k.expression} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
}

/** Rows strictly after `values` in the order of `keys`: (a > x) OR (a = x AND b > y) OR ... */
export function keysetOf(keys: readonly OrderKey[], values: readonly (string | number)[]): Clause {
  const alternatives: string[] = [];
  const params: SqlParam[] = [];
  keys.forEach((key, i) => {
    const equalities = keys.slice(0, i).map((earlier) => `${earlier.expression} = ?`);
    alternatives.push(`(${[...equalities, `${key.expression} ${key.descending ? '<' : '>'} ?`].join(' AND ')})`);
    params.push(...values.slice(0, i + 1));
  });
  return { sql: `(${alternatives.join(' OR ')})`, params };
}

/** The values of the order keys for one row, read from the row's own columns. */
export function keyValuesOf(
  sort: ViolationPageRequest['sort'],
  row: { occurred_at: number; rule_id: string; actor: string; issue_key: string | null; status: string; id: string },
): (string | number)[] {
  const primary: Record<SortKey, string | number> = {
    occurredAt: row.occurred_at,
    rule: row.rule_id,
    actor: row.actor,
    issueKey: row.issue_key ?? '',
    status: row.status,
  };
  if (sort.by === 'occurredAt') return [row.occurred_at, row.id];
  if (sort.by === 'issueKey') return [(row.issue_key ?? '').length, primary.issueKey, row.occurred_at, row.id];
  return [primary[sort.by], row.occurred_at, row.id];
}

/** How many values a cursor of this sort carries: one per order key. */
function keyCount(sort: ViolationPageRequest['sort']): number {
  return sort.by === 'occurredAt' ? 2 : sort.by === 'issueKey' ? 4 : 3;
}

/**
 * An IN-list breaks an index's order: (status, rule) IN (...) newest first is a sort of every match.
 * Split into one filter per value instead, each an ordered range of one index that the database reads
 * only as far as the page needs; the adapter merges them. Null when one range serves already.
 */
export function rangesOf(filter: ViolationFilter, sort: ViolationPageRequest['sort']): ViolationFilter[] | null {
  if (sort.by !== 'occurredAt' || filter.issueKey !== undefined) return null;
  const distinct = <T>(values: readonly T[] | undefined): T[] => [...new Set(values ?? [])];
  const actors = distinct(filter.actors);
  // (project_key, actor, occurred_at): one range per account.
  if (actors.length > 0) return actors.length === 1 ? null : actors.map((actor) => ({ ...filter, actors: [actor] }));
  const statuses = distinct(filter.statuses);
  const rules = distinct(filter.rules);
  if (statuses.length === 0 && rules.length === 0) return null; // (project_key, occurred_at, id)
  // (project_key, status, rule_id, occurred_at, id): one range per (status, rule).
  const allStatuses = statuses.length > 0 ? statuses : (['open', 'acknowledged'] as const);
  const allRules = rules.length > 0 ? rules : RULE_IDS;
  if (allStatuses.length * allRules.length === 1) return null;
  return allStatuses.flatMap((status) => allRules.map((rule) => ({ ...filter, statuses: [status], rules: [rule] })));
}

/** Compares two rows in the order of `keys`, as the database does (numbers, then text byte by byte). */
export function compareByKeys(keys: readonly OrderKey[], a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < keys.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : Buffer.compare(Buffer.from(String(x), 'utf8'), Buffer.from(String(y), 'utf8'));
    if (order !== 0) return keys[i]!.descending ? -order : order;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The cursor: opaque to callers, tied to the filter and sort it was made for.

const cursorSchema = z.strictObject({
  v: z.literal(1),
  q: z.string(),
  k: z.array(z.union([z.string(), z.number()])).min(2).max(4),
  // The first page's total, carried along so later pages need not count again.
  t: z.number().int().nonnegative().optional(),
  c: z.boolean().optional(),
});

/** What a cursor carries: where the next page starts, and the total the first page counted. */
export interface DecodedCursor {
  readonly values: (string | number)[];
  readonly total?: { readonly count: number; readonly capped: boolean };
}

export class CursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CursorError';
  }
}

function queryFingerprint(filter: ViolationFilter, sort: ViolationPageRequest['sort']): string {
  const canonical = JSON.stringify({ filter: Object.fromEntries(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b))), sort: [sort.by, sort.direction] });
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodeCursor(
  filter: ViolationFilter,
  sort: ViolationPageRequest['sort'],
  values: readonly (string | number)[],
  total?: { readonly count: number; readonly capped: boolean },
): string {
  const body = { v: 1, q: queryFingerprint(filter, sort), k: values, ...(total ? { t: total.count, c: total.capped } : {}) };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, filter: ViolationFilter, sort: ViolationPageRequest['sort']): DecodedCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('cursor: expected the nextCursor of a previous page (it is not one)');
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw new CursorError('cursor: expected the nextCursor of a previous page (it is not one)');
  if (parsed.data.q !== queryFingerprint(filter, sort)) {
    throw new CursorError('cursor: it belongs to another filter or sort; start again from the first page (cursor null)');
  }
  if (parsed.data.k.length !== keyCount(sort)) throw new CursorError('cursor: expected the nextCursor of a previous page (it is not one)');
  const { k, t, c } = parsed.data;
  return t === undefined ? { values: k } : { values: k, total: { count: t, capped: c ?? false } };
}
