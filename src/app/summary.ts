/**
 * The work item's summary property: what the issue panel (and its badge) can show without a query per
 * view. Small by design: the count of open entries and the latest few, newest first, built from the
 * violation log itself so a redelivery or a lost write never leaves it wrong for long.
 */
import { z } from 'zod';
import type { ViolationRecord } from '../core/violations';
import type { ViolationLog } from './ports';

export const SUMMARY_PROPERTY = 'scrum-role-guard-summary';
export const SUMMARY_LATEST = 5;

export const summarySchema = z.object({
  version: z.literal(1),
  openCount: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  latest: z.array(
    z.object({
      id: z.string(),
      rule: z.string(),
      mode: z.enum(['flag', 'block']),
      outcome: z.string(),
      actor: z.string(),
      occurredAt: z.string(),
      status: z.enum(['open', 'acknowledged']),
    }),
  ),
  updatedAt: z.string(),
});
export type IssueSummary = z.infer<typeof summarySchema>;

export function summaryOf(rows: readonly ViolationRecord[], total: number, openCount: number, at: Date): IssueSummary {
  return {
    version: 1,
    openCount,
    total,
    latest: rows.slice(0, SUMMARY_LATEST).map((r) => ({ id: r.id, rule: r.rule, mode: r.mode, outcome: r.outcome, actor: r.actor, occurredAt: r.occurredAt, status: r.status })),
    updatedAt: at.toISOString(),
  };
}

/** The summary of one work item, read from the log (one indexed query). */
export async function buildSummary(log: Pick<ViolationLog, 'summary'>, projectKey: string, issueKey: string, at: Date): Promise<IssueSummary> {
  const item = await log.summary(projectKey, issueKey, SUMMARY_LATEST);
  return summaryOf(item.latest, item.total, item.openCount, at);
}
