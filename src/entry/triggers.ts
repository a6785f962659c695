/**
 * The product-event triggers. Issue updates that touch only Jira's own fields (status, priority,
 * assignee) are judged at once; updates of custom fields (rank, sprint, estimate), which come in bursts
 * (a bulk rank, a sprint completed), go through the queue to the consumer, one project at a time.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { judgeEvent } from '../app/judge';
import { QueueFullError } from '../app/ports';
import { routeEvent } from '../core/routing';
import { container } from './container';
import { withRetry } from './retry';

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
  const route = routeEvent(event);
  return withRetry(event, async (attempt) => {
    const deps = container().enforcement;
    if (route.kind === 'issue' && route.customFieldChanged) {
      const project = route.projectKey ?? 'unknown';
      try {
        await deps.queue.push([{ event: withoutRetryContext(route.raw) }], `project-${project}`);
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
        console.warn(`the queue did not take ${project}'s event (${error.reason}); judging it in the trigger`);
      }
    }
    return judgeEvent(route, deps, attempt);
  });
}

export async function onSprintEvent(event: unknown): Promise<unknown> {
  return withRetry(event, (attempt) => judgeEvent(routeEvent(event), container().enforcement, attempt));
}
