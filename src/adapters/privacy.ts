/**
 * Atlassian's personal data reporting on @forge/api. `privacy.reportPersonalData` sends one request per
 * 90 accounts, all at once, and rejects with the response when Atlassian refuses: the app calls it with
 * one batch of at most 90 at a time, and a 429 becomes ReportThrottledError with the Retry-After it named.
 */
import { privacy } from '@forge/api';
import { ReportThrottledError, type AccountReporter } from '../app/ports';

/** Seconds to wait when a 429 names no Retry-After. */
const DEFAULT_RETRY_AFTER_SECONDS = 10;

function retryAfterSeconds(response: { headers?: { get(name: string): string | null } }): number {
  const header = response.headers?.get('retry-after') ?? null;
  const seconds = header === null ? NaN : Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds));
  const date = header === null ? NaN : Date.parse(header);
  return Number.isFinite(date) ? Math.max(1, Math.ceil((date - Date.now()) / 1000)) : DEFAULT_RETRY_AFTER_SECONDS;
}

export const atlassianReporter: AccountReporter = {
  report: async (accounts) => {
    try {
      return await privacy.reportPersonalData(accounts.map((a) => ({ accountId: a.accountId, updatedAt: a.updatedAt })));
    } catch (error) {
      const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
      if (status === 429) throw new ReportThrottledError(retryAfterSeconds(error as { headers?: { get(name: string): string | null } }));
      if (typeof status === 'number') throw new Error(`personal data reporting answered ${status}`, { cause: error });
      throw error;
    }
  },
};
