/** The part of sql.js (which ships no types) that the embedded engine uses. */
declare module 'sql.js' {
  export type SqlValue = number | string | Uint8Array | null;
  export interface Statement {
    bind(values: SqlValue[]): boolean;
    step(): boolean;
    getColumnNames(): string[];
    getAsObject(): Record<string, SqlValue>;
    free(): boolean;
  }
  export interface QueryExecResult {
    columns: string[];
    values: SqlValue[][];
  }
  export interface Database {
    prepare(sql: string): Statement;
    exec(sql: string): QueryExecResult[];
    getRowsModified(): number;
    export(): Uint8Array;
    close(): void;
  }
  export interface SqlJsStatic {
    Database: new (data?: ArrayLike<number> | Buffer | null) => Database;
  }
  export default function initSqlJs(config?: { locateFile?: (file: string) => string }): Promise<SqlJsStatic>;
}
