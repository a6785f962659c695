/**
 * Retention: the violation log keeps rows for the site's retention period (180 days unless an admin
 * set another), and the scheduled job removes what is older, then seals the days that are over.
 */
import type { Clock, ViolationLog } from './ports';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionSettings {
  get(): Promise<{ readonly retentionDays: number }>;
}

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

export async function applyRetention(ports: {
  readonly settings: RetentionSettings;
  readonly log: Pick<ViolationLog, 'deleteOlderThan' | 'sealClosedWeeks'>;
  readonly clock: Clock;
}): Promise<RetentionResult> {
  const { retentionDays } = await ports.settings.get();
  const now = ports.clock.now();
  const cutoff = retentionCutoff(now, retentionDays);
  const deleted = await ports.log.deleteOlderThan(cutoff);
  // Then the days that are over get their totals, so the log screen's counts read few rows.
  const { sealed } = await ports.log.sealClosedWeeks(now);
  return { retentionDays, cutoff: cutoff.toISOString(), deleted, sealedWeeks: sealed };
}
