/** Limits both sides agree on. No imports, so any bundle may use them. */
export const NOTE_MAX_LENGTH = 500;
export const SEARCH_QUERY_MAX_LENGTH = 100;
export const AUDIT_MAX_DAYS = 90;
export const AUDIT_DEFAULT_DAYS = 14;
/** The audit keeps at most this many findings in its answer; the counts cover all of them. */
export const AUDIT_MAX_FINDINGS = 300;
export const PAGE_MAX_LIMIT = 200;
export const ACKNOWLEDGE_MAX_IDS = 200;
/** A CSV export stops at this many rows and says so (Forge answers are limited in size). */
export const CSV_MAX_ROWS = 5000;
