/**
 * The violation log on Forge SQL through @forge/sql. One row per violation, keyed by the record's
 * idempotent id, so a redelivered event finds its row already there and nothing is written twice.
 */
import { sql, type Result, type UpdateQueryResponse } from '@forge/sql';
import { z } from 'zod';
import type { Outcome, ViolationFilter, ViolationLog, ViolationPage, ViolationPageRequest, ViolationRecord } from '../../app/ports';
import type { RuleId } from '../../core/catalogue';
import { ensureSchema, VIOLATION_TABLE } from './migrations';
import { decodeCursor, encodeCursor, keysetOf, keyValuesOf, orderByOf, orderKeys, whereOf, type SqlParam } from './query';
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

const outcomeSchema = violationRecordSchema.shape.outcome;
const idsSchema = z.array(violationIdSchema, { error: 'expected a list of violation ids' }).max(MAX_IDS_PER_CALL, { error: `expected at most ${MAX_IDS_PER_CALL} ids` });
const noteSchema = z.string({ error: 'expected a note (a string)' }).max(MAX_NOTE_LENGTH, { error: `expected a note of at most ${MAX_NOTE_LENGTH} characters` });
const dateSchema = z.date({ error: 'expected a Date' }).refine((d) => !Number.isNaN(d.getTime()), { error: 'expected a valid Date' });
const countRowSchema = z.object({ n: z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number) });
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
  return Number((result.rows as UpdateQueryResponse).affectedRows ?? 0);
}

async function select(query: string, params: readonly SqlParam[]): Promise<unknown[]> {
  const result = await sql.prepare<unknown>(query).bindParams(...params).execute();
  return result.rows as unknown[];
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

export class SqlViolationLog implements ViolationLog {
  async record(violation: ViolationRecord): Promise<'inserted' | 'duplicate'> {
    const record = parseOrThrow(violationRecordSchema, violation, 'violation record');
    await ensureSchema();
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
    await ensureSchema();
    await update(`UPDATE ${VIOLATION_TABLE} SET outcome = ? WHERE id = ?`, [checkedOutcome, checkedId]);
  }

  async get(id: string): Promise<ViolationRecord | null> {
    const checkedId = parseOrThrow(violationIdSchema, id, 'violation id');
    await ensureSchema();
    const rows = parseRows(violationRowSchema, await select(`SELECT ${SELECT_COLUMNS} FROM ${VIOLATION_TABLE} WHERE id = ?`, [checkedId]));
    return rows[0] ? rowToRecord(rows[0]) : null;
  }

  async page(request: ViolationPageRequest): Promise<ViolationPage> {
    const { filter, sort, limit, cursor } = parseOrThrow(pageRequestSchema, request, 'page request');
    await ensureSchema();
    const where = whereOf(filter);
    const keys = orderKeys(sort);
    const conditions = [where.sql];
    const params: SqlParam[] = [...where.params];
    if (cursor !== null) {
      const keyset = keysetOf(keys, decodeCursor(cursor, filter, sort));
      conditions.push(keyset.sql);
      params.push(...keyset.params);
    }
    // One row more than asked tells whether another page follows, without a second query.
    const query = `SELECT ${SELECT_COLUMNS} FROM ${VIOLATION_TABLE} WHERE ${conditions.join(' AND ')} ORDER BY ${orderByOf(keys)} LIMIT ${limit + 1}`;
    const [rows, counted] = await Promise.all([
      select(query, params).then((r) => parseRows(violationRowSchema, r)),
      select(`SELECT COUNT(*) AS n FROM ${VIOLATION_TABLE} WHERE ${where.sql}`, where.params).then((r) => parseRows(countRowSchema, r)),
    ]);
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(filter, sort, keyValuesOf(sort, last)) : null;
    return { rows: pageRows.map(rowToRecord), nextCursor, total: counted[0]?.n ?? 0 };
  }

  async countsByRuleAndSprint(filter: ViolationFilter): Promise<readonly { rule: RuleId; sprintId: string | null; count: number }[]> {
    const checked = parseOrThrow(violationFilterSchema, filter, 'filter');
    await ensureSchema();
    const where = whereOf(checked);
    const rows = await select(
      `SELECT rule_id, sprint_id, COUNT(*) AS n FROM ${VIOLATION_TABLE} WHERE ${where.sql} GROUP BY rule_id, sprint_id ORDER BY rule_id, sprint_id`,
      where.params,
    );
    const schema = countRowSchema.extend({ rule_id: violationRowSchema.shape.rule_id, sprint_id: z.string().nullable() });
    return parseRows(schema, rows).map((r) => ({ rule: r.rule_id, sprintId: r.sprint_id, count: r.n }));
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
    await ensureSchema();
    return update(
      `UPDATE ${VIOLATION_TABLE} SET status = 'acknowledged', ack_note = ?, ack_by = ?, ack_at = ? WHERE project_key = ? AND status = 'open' AND id IN (${checkedIds.map(() => '?').join(', ')})`,
      [checkedNote, account, when.getTime(), project, ...checkedIds],
    );
  }

  /** Removes rows older than `cutoff`, a batch at a time (a statement per batch stays small on TiDB). */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const when = parseOrThrow(dateSchema, cutoff, 'cutoff');
    await ensureSchema();
    return this.deleteInBatches(`SELECT id FROM ${VIOLATION_TABLE} WHERE occurred_at < ? ORDER BY occurred_at, id LIMIT ${DELETE_BATCH}`, [when.getTime()]);
  }

  /**
   * A closed account disappears from the log: the rows where it acted are removed, and where it
   * acknowledged someone else's entry the acknowledger is blanked (the note and status stay).
   * Answers the number of rows removed plus the number blanked.
   */
  async eraseAccount(accountId: string): Promise<number> {
    const account = parseOrThrow(accountIdSchema, accountId, 'accountId');
    await ensureSchema();
    const removed = await this.deleteInBatches(`SELECT id FROM ${VIOLATION_TABLE} WHERE actor = ? ORDER BY id LIMIT ${DELETE_BATCH}`, [account]);
    const blanked = await update(`UPDATE ${VIOLATION_TABLE} SET ack_by = NULL WHERE ack_by = ?`, [account]);
    return removed + blanked;
  }

  /**
   * Every account id the log holds, with the last time the log stored something about it (as the
   * personal data reporting API asks), in account id order, `limit` at a time after `after`.
   */
  async accountsAfter(after: string | null, limit: number): Promise<{ accountId: string; updatedAt: string }[]> {
    const size = parseOrThrow(z.number().int().min(1).max(5000), limit, 'limit');
    const start = after === null ? null : parseOrThrow(accountIdSchema, after, 'after');
    await ensureSchema();
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
