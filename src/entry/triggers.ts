/**
 * The product-event triggers. Issue updates that touch only Jira's own fields (status, priority,
 * assignee) are judged at once; updates of custom fields (rank, sprint, estimate), which come in bursts
 * (a bulk rank, a sprint completed), go through the queue to the consumer, one project at a time.
 */
import { judgeEvent } from '../app/judge';
import { enforcementDeps } from './deps';
import { withRetry } from './retry';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether the changelog touches a custom field (where rank, sprint and estimate live). */
function touchesCustomField(event: Record<string, unknown>): boolean {
  const changelog = event['changelog'];
  const items = isRecord(changelog) ? changelog['items'] : undefined;
  return Array.isArray(items) && items.some((i) => isRecord(i) && (i['fieldtype'] === 'custom' || (typeof i['fieldId'] === 'string' && i['fieldId'].startsWith('customfield_'))));
}

function projectOf(event: Record<string, unknown>): string {
  const issue = event['issue'];
  const fields = isRecord(issue) ? issue['fields'] : undefined;
  const project = isRecord(fields) ? fields['project'] : undefined;
  return isRecord(project) && typeof project['key'] === 'string' ? project['key'] : 'unknown';
}

/** The retry context belongs to this delivery, not to the event handed on. */
function withoutRetryContext(event: Record<string, unknown>): Record<string, unknown> {
  const { retryContext: _ignored, ...rest } = event;
  return rest;
}

export async function onIssueEvent(event: unknown): Promise<unknown> {
  return withRetry(event, async (attempt) => {
    if (isRecord(event) && event['eventType'] === 'avi:jira:updated:issue' && event['selfGenerated'] !== true && touchesCustomField(event)) {
      await enforcementDeps().queue.push([{ event: withoutRetryContext(event) }], `project-${projectOf(event)}`);
      return { queued: true };
    }
    return judgeEvent(event, enforcementDeps(), attempt);
  });
}

export async function onSprintEvent(event: unknown): Promise<unknown> {
  return withRetry(event, (attempt) => judgeEvent(event, enforcementDeps(), attempt));
}
