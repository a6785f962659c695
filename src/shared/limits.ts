/**
 * Limits both sides agree on: the resolvers enforce them, the pages say them. No imports, so any
 * bundle may use them.
 */
export const LIMITS = {
  noteMaxLength: 500,
  searchQueryMaxLength: 100,
  auditMaxDays: 90,
  auditDefaultDays: 14,
  /** The audit keeps at most this many findings in its answer; the counts cover all of them. */
  auditMaxFindings: 300,
  pageMaxLimit: 200,
  acknowledgeMaxIds: 200,
  /** A CSV export stops at this many rows and says so (Forge answers are limited in size). */
  csvMaxRows: 5000,
} as const;
