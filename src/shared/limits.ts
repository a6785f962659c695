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
  /** Role health shows this many sprints unless asked for another number, and at most the max. */
  healthDefaultSprints: 6,
  healthMaxSprints: 12,
  /** A role health drill-down page. */
  healthChangesPageSize: 50,
  /** Suggest roles looks back this many days by default, within these bounds. */
  suggestDefaultDays: 90,
  suggestMinDays: 7,
  suggestMaxDays: 180,
} as const;
