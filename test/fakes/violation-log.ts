/**
 * The violation log in memory, with the SQL log's semantics: a record is validated as the SQL adapter
 * validates it and inserted once per id; pages follow the same order (the column, then newest first,
 * then the id) and count their matches up to the same cap; roles come back in the catalogue's order;
 * acknowledging closes open entries of the project only; erasing removes an actor's rows and blanks
 * them as acknowledger. test/fakes/contract.test.ts runs the same assertions on both.
 */
import type { HeldAccount, ItemSummary, ViolationCounts, ViolationFilter, ViolationLog, ViolationPage, ViolationPageRequest } from '../../src/app/ports';
import { TOTAL_CAP } from '../../src/adapters/sql';
import { pageRequestSchema, parseOrThrow, violationRecordSchema } from '../../src/adapters/sql/records';
import { ROLE_KEYS, type RuleId } from '../../src/core/catalogue';
import { weekNumber, type Outcome, type ViolationRecord } from '../../src/core/violations';

function stored(record: ViolationRecord): ViolationRecord {
  // As a row comes back from the database: times as ISO instants, roles in the catalogue's order.
  return {
    ...record,
    occurredAt: new Date(Date.parse(record.occurredAt)).toISOString(),
    ackAt: record.ackAt === null ? null : new Date(Date.parse(record.ackAt)).toISOString(),
    actorRoles: ROLE_KEYS.filter((r) => record.actorRoles.includes(r)),
  };
}

function matches(row: ViolationRecord, filter: ViolationFilter): boolean {
  const anyOf = <T>(values: readonly T[] | undefined, value: T): boolean => values === undefined || values.length === 0 || values.includes(value);
  const at = Date.parse(row.occurredAt);
  return (
    row.projectKey === filter.projectKey &&
    anyOf(filter.rules, row.rule) &&
    anyOf(filter.actors, row.actor) &&
    anyOf(filter.modes, row.mode) &&
    anyOf(filter.statuses, row.status) &&
    (filter.roles === undefined || filter.roles.length === 0 || filter.roles.some((role) => (role === 'none' ? row.actorRoles.length === 0 : row.actorRoles.includes(role)))) &&
    (filter.issueKey === undefined || row.issueKey === filter.issueKey) &&
    (filter.from === undefined || at >= Date.parse(filter.from)) &&
    (filter.to === undefined || at <= Date.parse(filter.to))
  );
}

type Key = (string | number)[];

/** The order's values for a row, each with its direction: as src/adapters/sql/query.ts orders. */
function orderOf(sort: ViolationPageRequest['sort'], row: ViolationRecord): { value: string | number; descending: boolean }[] {
  const descending = sort.direction === 'desc';
  const at = Date.parse(row.occurredAt);
  if (sort.by === 'occurredAt') return [{ value: at, descending }, { value: row.id, descending }];
  const primary = { rule: row.rule, actor: row.actor, issueKey: row.issueKey ?? '', status: row.status }[sort.by];
  const head = sort.by === 'issueKey' ? [{ value: (row.issueKey ?? '').length, descending }] : [];
  return [...head, { value: primary, descending }, { value: at, descending: true }, { value: row.id, descending: true }];
}

function compare(a: { value: string | number; descending: boolean }[], b: Key): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!.value;
    const y = b[i]!;
    if (x === y) continue;
    const order = x < y ? -1 : 1;
    return a[i]!.descending ? -order : order;
  }
  return 0;
}

export class FakeViolationLog implements ViolationLog {
  readonly rows = new Map<string, ViolationRecord>();
  /** Makes the next `count` records fail, as a refused SQL insert does. */
  refuseRecords = 0;

  all(): ViolationRecord[] {
    return [...this.rows.values()];
  }

  async record(violation: ViolationRecord): Promise<'inserted' | 'duplicate'> {
    const record = parseOrThrow(violationRecordSchema, violation, 'violation record');
    if (this.refuseRecords > 0) {
      this.refuseRecords--;
      throw new Error('the log refused the insert');
    }
    if (this.rows.has(record.id)) return 'duplicate';
    this.rows.set(record.id, stored(record));
    return 'inserted';
  }

  async setOutcome(id: string, outcome: Outcome): Promise<void> {
    const row = this.rows.get(id);
    if (row) this.rows.set(id, { ...row, outcome });
  }

  async page(request: ViolationPageRequest): Promise<ViolationPage> {
    const { filter, sort, limit, cursor } = parseOrThrow(pageRequestSchema, request, 'page request');
    const found = this.all().filter((r) => matches(r, filter));
    const sorted = found.map((row) => ({ row, key: orderOf(sort, row) })).sort((a, b) => compare(a.key, b.key.map((k) => k.value)));
    const position = cursor === null ? null : (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { key: Key; total: { count: number; capped: boolean } });
    const after = position === null ? sorted : sorted.filter((r) => compare(r.key, position.key) > 0);
    const total = position?.total ?? { count: Math.min(found.length, TOTAL_CAP), capped: found.length > TOTAL_CAP };
    const pageRows = after.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    const nextCursor = after.length > limit && last ? Buffer.from(JSON.stringify({ key: last.key.map((k) => k.value), total }), 'utf8').toString('base64url') : null;
    return { rows: pageRows.map((r) => r.row), nextCursor, total: total.count, ...(total.capped ? { totalIsCapped: true } : {}) };
  }

  async summary(projectKey: string, issueKey: string, latest: number): Promise<ItemSummary> {
    const rows = this.all()
      .filter((r) => r.projectKey === projectKey && r.issueKey === issueKey)
      .sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return { latest: rows.slice(0, latest), total: rows.length, openCount: rows.filter((r) => r.status === 'open').length };
  }

  async counts(filter: ViolationFilter, by: readonly ('week' | 'sprint' | 'roles')[]): Promise<ViolationCounts> {
    const groups = new Map<string, { week?: number; sprintId?: string | null; roles?: typeof ROLE_KEYS[number][]; rule: RuleId; count: number }>();
    for (const row of this.all().filter((r) => matches(r, filter))) {
      const group = {
        ...(by.includes('week') ? { week: weekNumber(Date.parse(row.occurredAt)) } : {}),
        ...(by.includes('sprint') ? { sprintId: row.sprintId } : {}),
        ...(by.includes('roles') ? { roles: [...row.actorRoles] } : {}),
        rule: row.rule,
      };
      const key = JSON.stringify(group);
      const known = groups.get(key);
      groups.set(key, { ...group, count: (known?.count ?? 0) + 1 });
    }
    return [...groups.values()];
  }

  async acknowledge(ids: readonly string[], projectKey: string, note: string, by: string, at: Date): Promise<number> {
    let changed = 0;
    for (const id of new Set(ids)) {
      const row = this.rows.get(id);
      if (!row || row.projectKey !== projectKey || row.status !== 'open') continue;
      this.rows.set(id, { ...row, status: 'acknowledged', ackNote: note, ackBy: by, ackAt: at.toISOString() });
      changed++;
    }
    return changed;
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const old = this.all().filter((r) => Date.parse(r.occurredAt) < cutoff.getTime());
    for (const row of old) this.rows.delete(row.id);
    return old.length;
  }

  /** Counts are exact whatever is sealed: in memory nothing needs sealing. */
  async sealClosedWeeks(): Promise<{ sealed: number; dropped: number; unfinished: boolean }> {
    return { sealed: 0, dropped: 0, unfinished: false };
  }

  async eraseAccount(accountId: string): Promise<number> {
    let changed = 0;
    for (const row of this.all()) {
      if (row.actor === accountId) {
        this.rows.delete(row.id);
        changed++;
      } else if (row.ackBy === accountId) {
        this.rows.set(row.id, { ...row, ackBy: null });
        changed++;
      }
    }
    return changed;
  }

  async accountsAfter(after: string | null, limit: number): Promise<readonly HeldAccount[]> {
    const latest = new Map<string, number>();
    const note = (id: string, at: number): void => {
      if (after === null || id > after) latest.set(id, Math.max(latest.get(id) ?? 0, at));
    };
    for (const row of this.all()) {
      if (row.actor !== '') note(row.actor, Date.parse(row.occurredAt));
      if (row.ackBy !== null && row.ackAt !== null) note(row.ackBy, Date.parse(row.ackAt));
    }
    return [...latest]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([accountId, at]) => ({ accountId, updatedAt: new Date(at).toISOString() }));
  }
}
