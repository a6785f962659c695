/**
 * Forge SQL on MariaDB/MySQL through mysql2. Sessions run in UTC and return dates as
 * 'YYYY-MM-DD HH:MM:SS' strings and DECIMAL as numbers, so rows look the same as on the embedded engine.
 */
import type { PoolConnection as CallbackConnection } from 'mysql2';
import { createConnection, createPool, type Pool, type ResultSetHeader } from 'mysql2/promise';
import { checkParams, mysqlError, SqlExecutionError, type SqlEngine, type SqlParam, type SqlResult, type SqlRow } from './engine';

interface MySqlDriverError {
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  sqlMessage?: unknown;
  message?: unknown;
}

function toMySqlError(error: unknown): SqlExecutionError {
  const e = (error ?? {}) as MySqlDriverError;
  if (typeof e.errno === 'number' && typeof e.code === 'string') {
    return new SqlExecutionError(e.code, e.errno, typeof e.sqlState === 'string' ? e.sqlState : 'HY000', String(e.sqlMessage ?? e.message ?? e.code));
  }
  return mysqlError('ER_UNKNOWN_ERROR', error instanceof Error ? error.message : String(error));
}

function isResultSetHeader(value: unknown): value is ResultSetHeader {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'affectedRows' in value;
}

export class MariaDbSqlEngine implements SqlEngine {
  readonly kind = 'mariadb' as const;

  private constructor(private readonly pool: Pool) {}

  /**
   * Connects to `mysql://user[:password]@host:port/database`; the database is created when missing,
   * as a Forge installation starts with its own empty database.
   */
  static async connect(url: string): Promise<MariaDbSqlEngine> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
      throw new Error(`SQL URL: expected mysql://user@host:port/database, got protocol '${parsed.protocol}'`);
    }
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`SQL URL: expected a database name of letters, digits and _ in the path, got '${database}'`);
    const connection = {
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password),
      timezone: 'Z',
      dateStrings: true,
      decimalNumbers: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
      connectTimeout: 3000,
    } as const;
    const admin = await createConnection(connection);
    try {
      await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
    } finally {
      await admin.end();
    }
    const pool = createPool({ ...connection, database, connectionLimit: 4 });
    pool.on('connection', (conn) => {
      // mysql2's promise typings say this is a promise connection; at run time the event hands the
      // callback one (its query returns no promise). A failure shows up as the next query's error.
      (conn as unknown as CallbackConnection).query("SET time_zone = '+00:00'", () => undefined);
    });
    return new MariaDbSqlEngine(pool);
  }

  async execute(sql: string, params: readonly SqlParam[]): Promise<SqlResult> {
    const checked = checkParams(params);
    try {
      const [result] = await this.pool.query(sql, checked);
      return this.shape(result);
    } catch (error) {
      throw toMySqlError(error);
    }
  }

  async executeDDL(sql: string): Promise<SqlResult> {
    try {
      const [result] = await this.pool.query(sql);
      return this.shape(result);
    } catch (error) {
      throw toMySqlError(error);
    }
  }

  private shape(result: unknown): SqlResult {
    if (isResultSetHeader(result)) {
      return {
        rows: {
          affectedRows: result.affectedRows,
          fieldCount: result.fieldCount,
          info: result.info,
          insertId: result.insertId,
          serverStatus: result.serverStatus ?? 0,
          warningStatus: result.warningStatus,
        },
      };
    }
    if (Array.isArray(result)) return { rows: result.map((row) => ({ ...(row as SqlRow) })) };
    throw mysqlError('ER_UNKNOWN_ERROR', 'The database answered with neither rows nor a result header');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
