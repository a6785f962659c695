/** The local Forge host: see host.ts. */
export * from './host';
export { KvsStore, MAX_VALUE_BYTES, type EntityIndex } from './kvs-store';
export { EntityProperties, evaluateFilterExpression, evaluateJiraExpression, type FilterOutcome } from './filter-expression';
export { loadManifest, type LoadedManifest } from './manifest';
export { createSqlEngine, EmbeddedSqlEngine, MariaDbSqlEngine, SqlExecutionError, type SqlEngine, type SqlResult } from './sql';
