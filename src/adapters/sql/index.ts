/** The violation log on Forge SQL: the adapter, its schema and the errors it reports. */
export { SqlViolationLog, DELETE_BATCH, TOTAL_CAP } from './violation-log';
export { MIGRATIONS, SEALED_WEEKS_TABLE, TOTALS_TABLE, VIOLATION_TABLE, SchemaReady } from './migrations';
export { DAY_MS, SEAL_AFTER_DAYS, WEEK_MS, weekOf, weekStartMs } from './totals';
export { CursorError } from './query';
export { ViolationLogInputError, MAX_PAGE_LIMIT, MAX_NOTE_LENGTH } from './records';
