/**
 * What the app did about one action in the sandbox, in a sentence for the page: Jira itself only
 * shows the result (the item back in its place, the old value back), so the sandbox adds a short note
 * of its own saying what Scrum Role Guard did. Read from Jira's history (changes made by the app's
 * account) and from the app's log (entries that were not there before), the way anyone could check.
 */
import { RULE_CATALOGUE, type RuleId } from '../../src/core/catalogue';
import { RESOLVER_KEYS } from '../../src/shared/resolver-api';
import { callAppResolver, DEMO_ADMIN } from '../demo';
import type { ChangeItem } from '../jira/model';
import type { Sandbox } from '../sandbox';

export interface ActivityMark {
  readonly changelogId: number;
  readonly logIds: ReadonlySet<string>;
}

interface LogRow {
  readonly id: string;
  readonly issueKey: string | null;
  readonly rule: string;
  readonly outcome: string;
}

async function latestLogRows(sandbox: Sandbox): Promise<LogRow[] | null> {
  const answer = (await callAppResolver(sandbox, 'violationLog', RESOLVER_KEYS.listViolations, { limit: 50 }, DEMO_ADMIN)) as { ok: boolean; rows?: LogRow[] };
  return answer.ok && answer.rows ? answer.rows : null;
}

function lastChangelogId(sandbox: Sandbox): number {
  let last = 0;
  for (const issue of sandbox.site.issues) for (const entry of issue.changelog) last = Math.max(last, Number(entry.id));
  return last;
}

export async function markActivity(sandbox: Sandbox): Promise<ActivityMark> {
  const rows = await latestLogRows(sandbox);
  return { changelogId: lastChangelogId(sandbox), logIds: new Set((rows ?? []).map((r) => r.id)) };
}

function undoText(key: string, item: ChangeItem, sandbox: Sandbox): string | null {
  const { fieldIds } = sandbox.site;
  if (item.fieldId === fieldIds.rank) return `put ${key} back where it was`;
  if (item.fieldId === fieldIds.sprint) return `took ${key} out of ${item.fromString ?? 'the sprint'} again`;
  if (item.fieldId === fieldIds.estimate) return `set the estimate of ${key} back to ${item.toString ?? 'none'}`;
  if (item.fieldId === 'priority') return `set the priority of ${key} back to ${item.toString ?? 'what it was'}`;
  if (item.fieldId === 'assignee') return item.to === null ? `left ${key} unassigned again` : `gave ${key} back to ${item.toString ?? 'its assignee'}`;
  return null;
}

const OUTCOME_WORDS: Record<string, string> = {
  flagged: 'flagged',
  reverted: 'undone',
  refused: 'refused',
  'revert-skipped': 'flagged (it had changed again, so nothing was undone)',
  unjudgeable: 'noted as not judged',
};

/** One sentence: what Scrum Role Guard did since `mark`. */
export async function describeActivity(sandbox: Sandbox, mark: ActivityMark): Promise<string> {
  const undone: string[] = [];
  for (const issue of sandbox.site.issues) {
    for (const entry of issue.changelog) {
      if (Number(entry.id) <= mark.changelogId || entry.authorAccountId !== sandbox.site.appAccountId) continue;
      for (const item of entry.items) {
        const text = undoText(issue.key, item, sandbox);
        if (text && !undone.includes(text)) undone.push(text);
      }
    }
  }
  const rows = (await latestLogRows(sandbox)) ?? [];
  const recorded = rows
    .filter((r) => !mark.logIds.has(r.id))
    .reverse()
    .map((r) => `“${RULE_CATALOGUE.get(r.rule as RuleId)?.title ?? r.rule}”${r.issueKey ? ` on ${r.issueKey}` : ''}, ${OUTCOME_WORDS[r.outcome] ?? r.outcome}`);
  if (undone.length === 0 && recorded.length === 0) {
    const settings = (await callAppResolver(sandbox, 'settings', RESOLVER_KEYS.getProjectSettings, {}, DEMO_ADMIN)) as { ok: boolean; revision?: number | null };
    if (settings.ok && (settings.revision ?? null) === null) return `Scrum Role Guard saw the change. ${sandbox.site.project.key} has no Scrum roles saved yet, so it judged nothing.`;
    return 'Scrum Role Guard saw the change and found nothing against the Scrum roles.';
  }
  const did = undone.length > 0 ? `Scrum Role Guard ${undone.join(' and ')}.` : 'Scrum Role Guard let the change stand.';
  const logged = recorded.length > 0 ? ` In its log: ${recorded.join('; ')}. The panel on the work item says why.` : '';
  return `${did}${logged}`;
}
