/**
 * The product-event triggers. Issue updates that touch only Jira's own fields (status, priority,
 * assignee) are judged at once; updates of custom fields (rank, sprint, estimate), which come in bursts
 * (a bulk rank, a sprint completed), go through the queue to the consumer, one project at a time.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { QueueFullError } from '../app/enforcement-ports';
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

/**
 * Custom-field updates go through the queue. When the queue does not take the event (Forge's limit of
 * 500 events a minute, say during a bulk rank of 1,000 items) Forge is asked to run this trigger again
 * after a minute, which pushes it again; on the last try, or for an event too big for the queue, it is
 * judged right here instead, so no event is lost. Pushed twice or judged here after all, it is still
 * judged once: every effect is keyed on the changelog id.
 */
export async function onIssueEvent(event: unknown): Promise<unknown> {
  return withRetry(event, async (attempt) => {
    if (isRecord(event) && event['eventType'] === 'avi:jira:updated:issue' && event['selfGenerated'] !== true && touchesCustomField(event)) {
      try {
        await enforcementDeps().queue.push([{ event: withoutRetryContext(event) }], `project-${projectOf(event)}`);
        return { queued: true };
      } catch (error) {
        if (!(error instanceof QueueFullError)) throw error;
        if (error.reason !== 'too-big' && !attempt.last) {
          return new InvocationError({
            retryAfter: error.retryAfterSeconds,
            retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
            retryData: { operation: 'queue push', notTaken: error.notTaken.length },
          });
        }
        console.warn(`the queue did not take ${projectOf(event)}'s event (${error.reason}); judging it in the trigger`);
      }
    }
    return judgeEvent(event, enforcementDeps(), attempt);
  });
}

export async function onSprintEvent(event: unknown): Promise<unknown> {
  return withRetry(event, (attempt) => judgeEvent(event, enforcementDeps(), attempt));
}
