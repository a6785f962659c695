/**
 * Repeats of the same nudge on a work item (the same person, the same rule, the same change, the same
 * outcome and status) are one card: "3 times, last 2 hours ago", rather than three identical cards.
 */
import type { ViolationRow } from '../../../src/shared/resolver-api';

export interface NudgeGroup {
  readonly key: string;
  /** Newest first, as the log answers. */
  readonly rows: readonly ViolationRow[];
  readonly latest: ViolationRow;
  readonly first: ViolationRow;
}

function groupKey(row: ViolationRow): string {
  const change = [row.fromText ?? row.fromValue, row.toText ?? row.toValue];
  return JSON.stringify([row.rule, row.actor, row.outcome, row.status, change, row.status === 'acknowledged' ? row.ackNote : null]);
}

/** Groups in the order of their newest entry; `rows` must be newest first. */
export function groupRepeats(rows: readonly ViolationRow[]): NudgeGroup[] {
  const byKey = new Map<string, ViolationRow[]>();
  for (const row of rows) {
    const key = groupKey(row);
    const list = byKey.get(key);
    if (list) list.push(row);
    else byKey.set(key, [row]);
  }
  return [...byKey].map(([key, list]) => ({ key, rows: list, latest: list[0]!, first: list[list.length - 1]! }));
}
