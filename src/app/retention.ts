/**
 * Retention: the violation log keeps rows for the site's retention period (180 days unless an admin
 * set another), and the scheduled job removes what is older, then seals the days that are over.
 */
import type { Clock, SiteSettingsStore, ViolationLog } from './ports';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionResult {
  readonly retentionDays: number;
  /** Rows that occurred before this instant were removed. */
  readonly cutoff: string;
  readonly deleted: number;
  /** Weeks whose counts the log now keeps as totals, up to the day before yesterday (see src/adapters/sql/totals.ts). */
  readonly sealedWeeks: number;
}

export function retentionCutoff(now: Date, retentionDays: number): Date {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`retentionDays: expected a whole number of at least 1, got ${retentionDays}`);
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

export interface RetentionDeps {
  readonly settings: SiteSettingsStore;
  readonly log: ViolationLog;
  readonly clock: Clock;
}

export async function applyRetention(deps: RetentionDeps): Promise<RetentionResult> {
  const { retentionDays } = await deps.settings.get();
  const now = deps.clock.now();
  const cutoff = retentionCutoff(now, retentionDays);
  const deleted = await deps.log.deleteOlderThan(cutoff);
  // Then the days that are over get their totals, so the log screen's counts read few rows.
  const { sealed } = await deps.log.sealClosedWeeks(now);
  return { retentionDays, cutoff: cutoff.toISOString(), deleted, sealedWeeks: sealed };
}
