/**
 * Reading work items' histories for a replay, as the in-app audit and role health both do: one search
 * for the items' fields the replay needs, one bulk changelog read, shaped as the replay takes them.
 */
import type { FieldIds } from '../core/events';
import { toAuditChangelog, toAuditIssue, type AuditIssue } from './audit';
import type { JiraReads } from './ports';

export async function readAuditIssues(reads: JiraReads, projectKey: string, fields: FieldIds, keys: readonly string[]): Promise<AuditIssue[]> {
  if (keys.length === 0) return [];
  const wanted = ['issuetype', 'project', 'created', 'creator', ...(fields.sprint ? [fields.sprint] : [])];
  const found = await reads.searchIssues(`key in (${keys.join(', ')})`, wanted, 'app', keys.length);
  const histories = await reads.changelogsOf(found.map((i) => i.id), 'app');
  return found.map((issue) => toAuditIssue(issue, projectKey, fields, (histories.get(issue.id) ?? []).map(toAuditChangelog)));
}
