/**
 * The violation log on Forge SQL through @forge/sql. One row per violation, keyed by the record's
 * idempotent id, so a redelivered event finds its row already there and nothing is written twice.
 */
import { sql, type Result, type UpdateQueryResponse } from '@forge/sql';
import { z } from 'zod';
import type { HeldAccount, ItemSummary, ViolationCounts, ViolationFilter, ViolationLog, ViolationPage, ViolationPageRequest } from '../../app/ports';
import type { Outcome, ViolationRecord } from '../../core/violations';
import type { RuleId } from '../../core/catalogue';
import { SchemaReady, VIOLATION_TABLE } from './migrations';
import { compareByKeys, decodeCursor, encodeCursor, keysetOf, keyValuesOf, orderByOf, orderKeys, rangesOf, whereOf, type SqlParam } from './query';
import {
  changeSealedWeeks,
  countEntries,
  dropTotalsBefore,
  sealClosedWeeks,
  sealedWeeksCutAt,
  sealedWeeksOf,
  sealedWeeksOfActor,
  unsealBefore,
  weekOf,
  type CountDimension,
  type CountOptions,
  type SealResult,
  type Sql,
} from './totals';
import {
  accountIdSchema,
  MAX_IDS_PER_CALL,
  MAX_NOTE_LENGTH,
  pageRequestSchema,
  parseOrThrow,
  projectKeySchema,
  recordToParams,
  ROW_COLUMNS,
  rowToRecord,
  violationFilterSchema,
  violationIdSchema,
  violationRecordSchema,
  violationRowSchema,
} from './records';

const SELECT_COLUMNS = ROW_COLUMNS.join(', ');
const INSERT = `INSERT INTO ${VIOLATION_TABLE} (${SELECT_COLUMNS}) VALUES (${ROW_COLUMNS.map(() => '?').join(', ')})`;

/** Rows removed per statement by retention and erasure: small enough for one TiDB transaction. */
export const DELETE_BATCH = 500;

/** A page counts its matches up to this many; past it the total reads "1,000+" (totalIsCapped). */
export const TOTAL_CAP = 1000;

/**
 * The longest the daily job spends sealing weeks: a scheduled function has 55 s, and Forge SQL allows an
 * installation 62.5 s of query time a minute, so sealing leaves room for the triggers running meanwhile.
 */
const SEAL_BUDGET_MS = 25_000;

const outcomeSchema = violationRecordSchema.shape.outcome;
const idsSchema = z.array(violationIdSchema, { error: 'expected a list of violation ids' }).max(MAX_IDS_PER_CALL, { error: `expected at most ${MAX_IDS_PER_CALL} ids` });
const noteSchema = z.string({ error: 'expected a note (a string)' }).max(MAX_NOTE_LENGTH, { error: `expected a note of at most ${MAX_NOTE_LENGTH} characters` });
const dateSchema = z.date({ error: 'expected a Date' }).refine((d) => !Number.isNaN(d.getTime()), { error: 'expected a valid Date' });
const dbCount = z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number);
const countRowSchema = z.object({ n: dbCount });
const summaryRowSchema = violationRowSchema.extend({ total_n: dbCount, open_n: z.union([dbCount, z.null()]).transform((v) => v ?? 0) });
const latestSchema = z.number().int().min(1).max(50);
const idRowSchema = z.object({ id: z.string() });

/** MySQL's duplicate-key error, as Forge SQL reports it (ForgeSQLAPIError with the driver's code in context.debug). */
function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const debug = (error as { context?: { debug?: { code?: unknown; errno?: unknown } } }).context?.debug;
  if (debug?.code === 'ER_DUP_ENTRY' || debug?.errno === 1062) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && /\bDuplicate entry\b/.test(message);
}

function affected(result: Result<UpdateQueryResponse>): number {
  return Number((result.rows).affectedRows ?? 0);
}

async function select(query: string, params: readonly SqlParam[]): Promise<unknown[]> {
  const result = await sql.prepare<unknown>(query).bindParams(...params).execute();
  return result.rows;
}

async function update(query: string, params: readonly SqlParam[]): Promise<number> {
  return affected(await sql.prepare<UpdateQueryResponse>(query).bindParams(...params).execute());
}

function parseRows<T>(schema: z.ZodType<T>, rows: readonly unknown[]): T[] {
  return rows.map((row, index) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new Error(`${VIOLATION_TABLE}: row ${index} is not what the schema says: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  });
}

const db: Sql = { select, update };

export class SqlViolationLog implements ViolationLog {
  private readonly schema = new SchemaReady();

  async record(violation: ViolationRecord): Promise<'inserted' | 'duplicate'> {
    const record = parseOrThrow(violationRecordSchema, violation, 'violation record');
    await this.schema.ensure();
    try {
      await sql.prepare<UpdateQueryResponse>(INSERT).bindParams(...recordToParams(record)).execute();
      return 'inserted';
    } catch (error) {
      if (isDuplicateKey(error)) return 'duplicate';
      throw error;
    }
  }

  async setOutcome(id: string, outcome: Outcome): Promise<void> {
    const checkedId = parseOrThrow(violationIdSchema, id, 'violation id');
    const checkedOutcome = parseOrThrow(outcomeSchema, outcome, 'outcome');
    await this.schema.ensure();
    await update(`UPDATE ${VIOLATION_TABLE} SET outcome = ? WHERE id = ?`, [checkedOutcome, checkedId]);
  }

  async get(id: string): Promise<ViolationRecord | null> {
    const checkedId = parseOrThrow(violationIdSchema, id, 'violation id');
    await this.schema.ensure();
    const rows = parseRows(violationRowSchema, await select(`SELECT ${SELECT_COLUMNS} FROM ${VIOLATION_TABLE} WHERE id = ?`, [checkedId]));
    return rows[0] ? rowToRecord(rows[0]) : null;
  }

  /**
   * One page, in one or two requests: the rows (one statement, however many ranges it reads) and, on
   * the first page only, a count that stops at TOTAL_CAP + 1 rows. Later pages carry the first page's
   * total in their cursor. Where the filter is read as several ranges, each range gives only the keys
   * of its first rows (from its index alone), the statement keeps the page's worth of them, and only
   * those rows are read from the table.
   */
  async page(request: ViolationPageRequest): Promise<ViolationPage> {
    const { filter, sort, limit, cursor } = parseOrThrow(pageRequestSchema, request, 'page request');
    await this.schema.ensure();
    const keys = orderKeys(sort);
    const decoded = cursor === null ? null : decodeCursor(cursor, filter, sort);
    // One row more than asked tells whether another page follows, without a second query.
    const rangeQuery = (part: ViolationFilter, columns: string): { sql: string; params: SqlParam[] } => {
      const where = whereOf(part);
      const conditions = [where.sql];
      const params: SqlParam[] = [...where.params];
      if (decoded !== null) {
        const keyset = keysetOf(keys, decoded.values);
        conditions.push(keyset.sql);
        params.push(...keyset.params);
      }
      return { sql: `SELECT ${columns} FROM ${VIOLATION_TABLE} WHERE ${conditions.join(' AND ')} ORDER BY ${orderByOf(keys)} LIMIT ${limit + 1}`, params };
    };
    const ranges = rangesOf(filter, sort);
    let query: { sql: string; params: SqlParam[] };
    if (ranges === null) query = rangeQuery(filter, SELECT_COLUMNS);
    else {
      // Ranges exist only for the time order: their keys are (occurred_at, id).
      const parts = ranges.map((part) => rangeQuery(part, 'id AS pick_id, occurred_at AS pick_at'));
      const direction = sort.direction === 'desc' ? 'DESC' : 'ASC';
      const keyed = parts.map((p, i) => `SELECT * FROM (${p.sql}) AS range${i}`).join(' UNION ALL ');
      query = {
        sql: `SELECT ${ROW_COLUMNS.map((c) => `v.${c}`).join(', ')} FROM ${VIOLATION_TABLE} AS v JOIN (
                SELECT pick_id FROM (${keyed}) AS keyed ORDER BY pick_at ${direction}, pick_id ${direction} LIMIT ${limit + 1}
              ) AS pick ON v.id = pick.pick_id`,
        params: parts.flatMap((p) => p.params),
      };
    }
    const where = whereOf(filter);
    const [found, total] = await Promise.all([
      select(query.sql, query.params).then((r) => parseRows(violationRowSchema, r)),
      decoded?.total !== undefined
        ? Promise.resolve(decoded.total)
        : select(`SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ${VIOLATION_TABLE} WHERE ${where.sql} LIMIT ${TOTAL_CAP + 1}) AS capped`, where.params).then((r) => {
            const n = parseRows(countRowSchema, r)[0]?.n ?? 0;
            return { count: Math.min(n, TOTAL_CAP), capped: n > TOTAL_CAP };
          }),
    ]);
    const rows = ranges === null ? found : found.sort((a, b) => compareByKeys(keys, keyValuesOf(sort, a), keyValuesOf(sort, b))).slice(0, limit + 1);
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(filter, sort, keyValuesOf(sort, last), total) : null;
    return { rows: pageRows.map(rowToRecord), nextCursor, total: total.count, ...(total.capped ? { totalIsCapped: true } : {}) };
  }

  /**
   * What the work item's summary needs, in one statement: its newest entries, with the number of all
   * its entries and of the open ones (window functions count every row before LIMIT keeps a few).
   */
  async summary(projectKey: string, issueKey: string, latest: number): Promise<ItemSummary> {
    const project = parseOrThrow(projectKeySchema, projectKey, 'projectKey');
    const item = parseOrThrow(violationFilterSchema.shape.issueKey.unwrap(), issueKey, 'issueKey');
    const size = parseOrThrow(latestSchema, latest, 'latest');
    await this.schema.ensure();
    const rows = parseRows(
      summaryRowSchema,
      await select(
        `SELECT ${SELECT_COLUMNS}, COUNT(*) OVER () AS total_n, SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) OVER () AS open_n
         FROM ${VIOLATION_TABLE} WHERE project_key = ? AND issue_key = ? ORDER BY occurred_at DESC, id DESC LIMIT ${size}`,
        [project, item],
      ),
    );
    return { latest: rows.map(rowToRecord), total: rows[0]?.total_n ?? 0, openCount: rows[0]?.open_n ?? 0 };
  }

  /** Entries the filter matches, counted per rule and `by` (see totals.ts: sealed weeks come from the totals). */
  async counts(filter: ViolationFilter, by: readonly CountDimension[], options: CountOptions = {}): Promise<ViolationCounts> {
    const checked = parseOrThrow(violationFilterSchema, filter, 'filter');
    const dimensions = parseOrThrow(z.array(z.enum(['week', 'sprint', 'roles'])).max(3), by, 'by');
    const checkedOptions = parseOrThrow(z.strictObject({ latestWeeks: z.number().int().min(1).max(520).optional() }), options, 'options');
    await this.schema.ensure();
    return countEntries(db, checked, dimensions, checkedOptions);
  }

  /** The daily job's part: seals the days that are over, so counts read totals instead of rows. */
  async sealClosedWeeks(now: Date): Promise<SealResult> {
    const when = parseOrThrow(dateSchema, now, 'now');
    await this.schema.ensure();
    return sealClosedWeeks(db, when, SEAL_BUDGET_MS);
  }

  async countsByRuleAndSprint(filter: ViolationFilter): Promise<readonly { rule: RuleId; sprintId: string | null; count: number }[]> {
    const counts = await this.counts(filter, ['sprint']);
    return counts
      .map((c) => ({ rule: c.rule, sprintId: c.sprintId ?? null, count: c.count }))
      .sort((a, b) => a.rule.localeCompare(b.rule) || (a.sprintId ?? '').localeCompare(b.sprintId ?? ''));
  }

  /**
   * Closes open entries of this project only (ids of another project are left alone and not
   * counted). An entry already acknowledged keeps its first note, author and time.
   */
  async acknowledge(ids: readonly string[], projectKey: string, note: string, by: string, at: Date): Promise<number> {
    const checkedIds = [...new Set(parseOrThrow(idsSchema, ids, 'ids'))];
    const project = parseOrThrow(projectKeySchema, projectKey, 'projectKey');
    const checkedNote = parseOrThrow(noteSchema, note, 'note');
    const account = parseOrThrow(accountIdSchema, by, 'by');
    const when = parseOrThrow(dateSchema, at, 'at');
    if (checkedIds.length === 0) return 0;
    await this.schema.ensure();
    // Open and acknowledged are counted apart: the sealed weeks of these entries are sealed anew around the change.
    return changeSealedWeeks(
      db,
      () => sealedWeeksOf(db, project, checkedIds),
      () =>
        update(
          `UPDATE ${VIOLATION_TABLE} SET status = 'acknowledged', ack_note = ?, ack_by = ?, ack_at = ? WHERE project_key = ? AND status = 'open' AND id IN (${checkedIds.map(() => '?').join(', ')})`,
          [checkedNote, account, when.getTime(), project, ...checkedIds],
        ),
    );
  }

  /** Removes rows older than `cutoff`, a batch at a time (a statement per batch stays small on TiDB). */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const when = parseOrThrow(dateSchema, cutoff, 'cutoff');
    await this.schema.ensure();
    // The weeks retention empties lose their marks first and their totals last; the week it cuts
    // through is sealed anew around the change.
    const cutoffMs = when.getTime();
    const firstKept = weekOf(cutoffMs);
    await unsealBefore(db, firstKept);
    const removed = await changeSealedWeeks(
      db,
      () => sealedWeeksCutAt(db, cutoffMs),
      () => this.deleteInBatches(`SELECT id FROM ${VIOLATION_TABLE} WHERE occurred_at < ? ORDER BY occurred_at, id LIMIT ${DELETE_BATCH}`, [cutoffMs]),
    );
    await unsealBefore(db, firstKept);
    await dropTotalsBefore(db, firstKept);
    return removed;
  }

  /**
   * A closed account disappears from the log: the rows where it acted are removed, and where it
   * acknowledged someone else's entry the acknowledger is blanked (the note and status stay).
   * Answers the number of rows removed plus the number blanked.
   */
  async eraseAccount(accountId: string): Promise<number> {
    const account = parseOrThrow(accountIdSchema, accountId, 'accountId');
    await this.schema.ensure();
    // The sealed weeks the account acted in are sealed anew around the change (the acknowledger is not counted).
    const removed = await changeSealedWeeks(
      db,
      () => sealedWeeksOfActor(db, account),
      () => this.deleteInBatches(`SELECT id FROM ${VIOLATION_TABLE} WHERE actor = ? ORDER BY id LIMIT ${DELETE_BATCH}`, [account]),
    );
    const blanked = await update(`UPDATE ${VIOLATION_TABLE} SET ack_by = NULL WHERE ack_by = ?`, [account]);
    return removed + blanked;
  }

  /**
   * Every account id the log holds, with the last time the log stored something about it (as the
   * personal data reporting API asks), in account id order, `limit` at a time after `after`.
   */
  async accountsAfter(after: string | null, limit: number): Promise<HeldAccount[]> {
    const size = parseOrThrow(z.number().int().min(1).max(5000), limit, 'limit');
    const start = after === null ? null : parseOrThrow(accountIdSchema, after, 'after');
    await this.schema.ensure();
    const params: SqlParam[] = start === null ? [] : [start, start];
    const rows = await select(
      `SELECT account_id, MAX(last_at) AS last_at FROM (
         SELECT actor AS account_id, occurred_at AS last_at FROM ${VIOLATION_TABLE} WHERE actor <> ''${start === null ? '' : ' AND actor > ?'}
         UNION ALL
         SELECT ack_by AS account_id, ack_at AS last_at FROM ${VIOLATION_TABLE} WHERE ack_by IS NOT NULL${start === null ? '' : ' AND ack_by > ?'}
       ) accounts GROUP BY account_id ORDER BY account_id LIMIT ${size}`,
      params,
    );
    const schema = z.object({ account_id: z.string(), last_at: z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number) });
    return parseRows(schema, rows).map((r) => ({ accountId: r.account_id, updatedAt: new Date(r.last_at).toISOString() }));
  }

  private async deleteInBatches(selectIds: string, params: readonly SqlParam[]): Promise<number> {
    let removed = 0;
    for (;;) {
      const ids = parseRows(idRowSchema, await select(selectIds, params)).map((r) => r.id);
      if (ids.length === 0) return removed;
      removed += await update(`DELETE FROM ${VIOLATION_TABLE} WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
      if (ids.length < DELETE_BATCH) return removed;
    }
  }
}
