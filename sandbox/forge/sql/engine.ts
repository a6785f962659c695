/**
 * The SQL engine behind the sandbox's Forge SQL. Two implementations: sql.js (embedded, no server)
 * and MariaDB/MySQL (mysql2). Both answer in the shape @forge/sql's client returns to the app:
 * `{ rows: Row[] }` for statements that produce rows, `{ rows: UpdateQueryResponse }` otherwise.
 */

/** What @forge/sql calls `UpdateQueryResponse` (types in node_modules/@forge/sql/out/utils/types.d.ts). */
export interface UpdateQueryResponse {
  affectedRows: number;
  fieldCount: number;
  info: string;
  insertId: number;
  serverStatus: number;
  warningStatus: number;
}

export type SqlRow = Record<string, unknown>;

export type SqlResult = { rows: SqlRow[] } | { rows: UpdateQueryResponse };

/** A bound parameter as it arrives over the wire (JSON). */
export type SqlParam = string | number | boolean | null;

export interface SqlEngine {
  readonly kind: 'embedded' | 'mariadb';
  execute(sql: string, params: readonly SqlParam[]): Promise<SqlResult>;
  executeDDL(sql: string): Promise<SqlResult>;
  close(): Promise<void>;
}

/**
 * A statement the database refused, described the way MySQL describes it, on both engines:
 * `code` is MySQL's symbolic name (e.g. ER_DUP_ENTRY), `errno` its number (e.g. 1062).
 */
export class SqlExecutionError extends Error {
  constructor(
    readonly code: string,
    readonly errno: number,
    readonly sqlState: string,
    readonly sqlMessage: string,
  ) {
    super(sqlMessage);
    this.name = 'SqlExecutionError';
  }
}

/** MySQL's own numbers for the errors both engines must report alike. */
export const MYSQL_ERRORS = {
  ER_DUP_ENTRY: { errno: 1062, sqlState: '23000' },
  ER_NO_SUCH_TABLE: { errno: 1146, sqlState: '42S02' },
  ER_TABLE_EXISTS_ERROR: { errno: 1050, sqlState: '42S01' },
  ER_BAD_FIELD_ERROR: { errno: 1054, sqlState: '42S22' },
  ER_BAD_NULL_ERROR: { errno: 1048, sqlState: '23000' },
  ER_PARSE_ERROR: { errno: 1064, sqlState: '42000' },
  ER_NOT_SUPPORTED_YET: { errno: 1235, sqlState: '42000' },
  ER_WRONG_ARGUMENTS: { errno: 1210, sqlState: 'HY000' },
  ER_UNKNOWN_ERROR: { errno: 1105, sqlState: 'HY000' },
} as const;

export type MySqlErrorCode = keyof typeof MYSQL_ERRORS;

export function mysqlError(code: MySqlErrorCode, message: string): SqlExecutionError {
  const known = MYSQL_ERRORS[code];
  return new SqlExecutionError(code, known.errno, known.sqlState, message);
}

/** Checks the parameters a request carries: only JSON scalars can be bound. */
export function checkParams(params: readonly unknown[]): SqlParam[] {
  return params.map((param, index) => {
    if (param === null || typeof param === 'string' || typeof param === 'number' || typeof param === 'boolean') return param;
    throw mysqlError(
      'ER_WRONG_ARGUMENTS',
      `params[${index}]: expected a string, number, boolean or null, got ${Array.isArray(param) ? 'an array' : typeof param}`,
    );
  });
}
