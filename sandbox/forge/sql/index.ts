/**
 * The Forge SQL service as @forge/sql reaches it: POST /api/v1/execute and /api/v1/execute/ddl with
 * `{ query, params, method }`, answered with `{ rows }` or, on failure, a non-2xx status and
 * `{ code, message, debug }`. @forge/sql turns that into a ForgeSQLAPIError whose `code` is
 * SQL_EXECUTION_ERROR and whose `context.debug` carries MySQL's `code` (e.g. ER_DUP_ENTRY),
 * `errno` (e.g. 1062), `sqlState` and `sqlMessage`.
 */
import { z } from 'zod';
import { EmbeddedSqlEngine } from './embedded';
import { checkParams, SqlExecutionError, type SqlEngine } from './engine';
import { MariaDbSqlEngine } from './mariadb';

export * from './engine';
export { EmbeddedSqlEngine } from './embedded';
export { MariaDbSqlEngine } from './mariadb';
export { translateMySqlToSqlite } from './mysql-to-sqlite';

/** Picks MariaDB/MySQL when a URL is given, the embedded engine (persisted under dataDir) otherwise. */
export async function createSqlEngine(url: string | undefined, dataDir: string | undefined): Promise<SqlEngine> {
  if (url !== undefined && url.trim() !== '') return MariaDbSqlEngine.connect(url);
  return EmbeddedSqlEngine.open(dataDir);
}

export const SQL_PATHS = { execute: '/api/v1/execute', executeDDL: '/api/v1/execute/ddl' } as const;

const SqlRequestSchema = z.object({
  query: z.string().min(1, 'expected a non-empty SQL statement'),
  params: z.array(z.unknown()).default([]),
  method: z.string().optional(),
});

export interface SqlWireResponse {
  status: number;
  body: unknown;
}

export function formatZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

/** Serves one @forge/sql request against the engine. */
export async function serveSqlRequest(engine: SqlEngine, path: string, bodyText: string | undefined): Promise<SqlWireResponse> {
  if (path !== SQL_PATHS.execute && path !== SQL_PATHS.executeDDL) {
    return { status: 404, body: { code: 'UNKNOWN_ERROR', message: `Forge SQL has no endpoint ${path}; expected ${SQL_PATHS.execute} or ${SQL_PATHS.executeDDL}` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(bodyText ?? '');
  } catch {
    return { status: 400, body: { code: 'INVALID_SQL_QUERY', message: 'The request body is not JSON' } };
  }
  const parsed = SqlRequestSchema.safeParse(json);
  if (!parsed.success) return { status: 400, body: { code: 'INVALID_SQL_QUERY', message: formatZodError(parsed.error) } };
  const { query, params } = parsed.data;
  try {
    const result = path === SQL_PATHS.executeDDL ? await engine.executeDDL(query) : await engine.execute(query, checkParams(params));
    return { status: 200, body: result };
  } catch (error) {
    if (error instanceof SqlExecutionError) {
      return {
        status: 400,
        body: {
          code: 'SQL_EXECUTION_ERROR',
          message: error.sqlMessage,
          debug: { code: error.code, errno: error.errno, sqlState: error.sqlState, sqlMessage: error.sqlMessage },
        },
      };
    }
    return { status: 500, body: { code: 'UNKNOWN_ERROR', message: error instanceof Error ? error.message : String(error) } };
  }
}
