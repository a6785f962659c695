/** The violation log on Forge SQL: the adapter, its schema and the errors it reports. */
export { SqlViolationLog, DELETE_BATCH } from './violation-log';
export { MIGRATIONS, VIOLATION_TABLE, ensureSchema } from './migrations';
export { CursorError } from './query';
export { ViolationLogInputError, MAX_PAGE_LIMIT, MAX_NOTE_LENGTH } from './records';
