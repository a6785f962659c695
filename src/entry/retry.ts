/**
 * How an entry point answers Forge when Jira is busy: an InvocationError asking for a retry after the
 * time Jira named (Retry-After), at most four times; Forge gives up after that.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { JiraUnavailableError } from '../app/ports';
import type { Attempt } from '../app/judge';

/** Forge retries an invocation at most four times. */
export const MAX_RETRIES = 4;

export function attemptOf(event: unknown): Attempt {
  const retryCount =
    typeof event === 'object' && event !== null && typeof (event as { retryContext?: { retryCount?: unknown } }).retryContext?.retryCount === 'number'
      ? ((event as { retryContext: { retryCount: number } }).retryContext.retryCount)
      : 0;
  return { retryCount, last: retryCount >= MAX_RETRIES };
}

/** Runs `work`; Jira being unavailable becomes a retry request (unless this was the last try). */
export async function withRetry<T>(event: unknown, work: (attempt: Attempt) => Promise<T>): Promise<T | InvocationError> {
  const attempt = attemptOf(event);
  try {
    return await work(attempt);
  } catch (error) {
    if (error instanceof JiraUnavailableError && !attempt.last) {
      const reason = error.status === 429 ? InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED : InvocationErrorCode.FUNCTION_RETRY_REQUEST;
      return new InvocationError({ retryAfter: error.retryAfterSeconds, retryReason: reason, retryData: { operation: error.operation, status: error.status } });
    }
    throw error;
  }
}
