/**
 * Forge SQL on sql.js: no server, the database in memory or in `<dataDir>/sql.sqlite`.
 * MySQL statements are translated first (see mysql-to-sqlite.ts); SQLite's errors are reported
 * with MySQL's codes, so a duplicate key is ER_DUP_ENTRY / 1062 here as on MariaDB.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { Database, SqlValue } from 'sql.js';
import { checkParams, mysqlError, SqlExecutionError, type SqlEngine, type SqlParam, type SqlResult, type SqlRow } from './engine';
import { tokenize, translateMySqlToSqlite } from './mysql-to-sqlite';

const countPlaceholders = (statement: string): number => tokenize(statement).filter((t) => t.kind === 'param').length;

/** How long a change may wait in memory before it is written to disk (writes are batched). */
const FLUSH_DELAY_MS = 50;

type SqlJsStatic = Awaited<ReturnType<typeof initSqlJs>>;
let sqlJsLoading: Promise<SqlJsStatic> | undefined;

function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJsLoading ??= initSqlJs();
  return sqlJsLoading;
}

/** Maps SQLite's error text to the MySQL error the same mistake gives on MariaDB. */
export function toMySqlError(error: unknown, translated: string): SqlExecutionError {
  if (error instanceof SqlExecutionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const unique = /UNIQUE constraint failed: (.+)$/.exec(message);
  if (unique) return mysqlError('ER_DUP_ENTRY', `Duplicate entry for key '${unique[1]}'`);
  const noTable = /no such table: (.+)$/.exec(message);
  if (noTable) return mysqlError('ER_NO_SUCH_TABLE', `Table '${noTable[1]}' doesn't exist`);
  const exists = /table (.+) already exists/.exec(message);
  if (exists) return mysqlError('ER_TABLE_EXISTS_ERROR', `Table ${exists[1]} already exists`);
  const noColumn = /no such column: (.+)$/.exec(message) ?? /has no column named (.+)$/.exec(message);
  if (noColumn) return mysqlError('ER_BAD_FIELD_ERROR', `Unknown column '${noColumn[1]}'`);
  const notNull = /NOT NULL constraint failed: (.+)$/.exec(message);
  if (notNull) return mysqlError('ER_BAD_NULL_ERROR', `Column '${notNull[1]}' cannot be null`);
  if (/syntax error|incomplete input|unrecognized token/.test(message)) {
    return mysqlError('ER_PARSE_ERROR', `${message} (embedded engine, in the translated statement: ${translated})`);
  }
  return mysqlError('ER_UNKNOWN_ERROR', `${message} (embedded engine, in the translated statement: ${translated})`);
}

function bindable(param: SqlParam): SqlValue {
  if (typeof param === 'boolean') return param ? 1 : 0;
  return param;
}

export class EmbeddedSqlEngine implements SqlEngine {
  readonly kind = 'embedded' as const;
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly db: Database,
    private readonly file: string | undefined,
  ) {}

  /** Opens `<dataDir>/sql.sqlite` (created when missing), or an in-memory database without a dataDir. */
  static async open(dataDir: string | undefined): Promise<EmbeddedSqlEngine> {
    const SQL = await loadSqlJs();
    const file = dataDir === undefined ? undefined : path.join(dataDir, 'sql.sqlite');
    let db: Database;
    if (file !== undefined && fs.existsSync(file)) db = new SQL.Database(fs.readFileSync(file));
    else db = new SQL.Database();
    if (file !== undefined) fs.mkdirSync(path.dirname(file), { recursive: true });
    return new EmbeddedSqlEngine(db, file);
  }

  async execute(sql: string, params: readonly SqlParam[]): Promise<SqlResult> {
    return this.run(sql, checkParams(params));
  }

  async executeDDL(sql: string): Promise<SqlResult> {
    return this.run(sql, []);
  }

  private run(sql: string, params: SqlParam[]): SqlResult {
    if (this.closed) throw mysqlError('ER_UNKNOWN_ERROR', 'The embedded SQL engine is closed');
    const statements = translateMySqlToSqlite(sql);
    const placeholders = statements.reduce((n, s) => n + countPlaceholders(s), 0);
    if (statements.length > 1 && placeholders > 0) throw mysqlError('ER_WRONG_ARGUMENTS', 'A statement that becomes several cannot take parameters');
    let result: SqlResult = { rows: [] };
    for (const statement of statements) result = this.runOne(statement, params);
    return result;
  }

  private runOne(statement: string, params: SqlParam[]): SqlResult {
    let prepared;
    try {
      prepared = this.db.prepare(statement);
    } catch (error) {
      throw toMySqlError(error, statement);
    }
    try {
      const expected = countPlaceholders(statement);
      if (expected !== params.length) {
        throw mysqlError('ER_WRONG_ARGUMENTS', `Incorrect arguments to execute: the statement has ${expected} placeholder(s), ${params.length} value(s) were bound`);
      }
      prepared.bind(params.map(bindable));
      const columns = prepared.getColumnNames();
      if (columns.length > 0) {
        const rows: SqlRow[] = [];
        while (prepared.step()) rows.push(prepared.getAsObject());
        return { rows };
      }
      prepared.step();
      const isDml = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(statement);
      const affectedRows = isDml ? this.db.getRowsModified() : 0;
      const insertId = Number(this.db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0] ?? 0);
      this.scheduleFlush();
      return { rows: { affectedRows, fieldCount: 0, info: '', insertId: /^\s*(INSERT|REPLACE)/i.test(statement) && affectedRows > 0 ? insertId : 0, serverStatus: 2, warningStatus: 0 } };
    } catch (error) {
      throw toMySqlError(error, statement);
    } finally {
      prepared.free();
    }
  }

  private scheduleFlush(): void {
    if (this.file === undefined || this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
    this.flushTimer.unref();
  }

  /** Writes the database to disk now (temp file + rename, so a crash never leaves half a file). */
  flush(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.file === undefined || this.closed) return;
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, Buffer.from(this.db.export()));
    fs.renameSync(temp, this.file);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}
