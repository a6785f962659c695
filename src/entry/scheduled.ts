/**
 * Scheduled jobs (scheduledTrigger modules). They only wire: the services in src/app do the work.
 * - retentionJob (daily): removes violation log rows older than the site's retention period.
 * - personalDataJob (weekly): reports the account ids the app holds through Forge's personal data
 *   reporting API and erases closed accounts from the log and from every stored config.
 */
import { getAppContext, privacy } from '@forge/api';
import { ForgeJira } from '../adapters/jira';
import { KvsCache } from '../adapters/kvs-cache';
import { KvsConfigStore } from '../adapters/kvs-config-store';
import { PublishingConfigStore } from '../app/published-config';
import { KvsReportCursor, KvsSiteSettings } from '../adapters/site-settings';
import { SqlViolationLog } from '../adapters/sql';
import { reportPersonalData, ReportThrottledError, type AccountReporter, type PersonalDataResult, type RunTime } from '../app/personal-data';
import { applyRetention, type RetentionResult } from '../app/retention';

const systemClock = { now: () => new Date() };

export async function retentionJob(): Promise<RetentionResult> {
  const result = await applyRetention({ settings: new KvsSiteSettings(), log: new SqlViolationLog(), clock: systemClock });
  console.log(`retention: removed ${result.deleted} violation log rows older than ${result.cutoff} (${result.retentionDays} days)`);
  return result;
}

/** Seconds to wait when a 429 names no Retry-After. */
const DEFAULT_RETRY_AFTER_SECONDS = 10;

function retryAfterSeconds(response: { headers?: { get(name: string): string | null } }): number {
  const header = response.headers?.get('retry-after') ?? null;
  const seconds = header === null ? NaN : Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds));
  const date = header === null ? NaN : Date.parse(header);
  return Number.isFinite(date) ? Math.max(1, Math.ceil((date - Date.now()) / 1000)) : DEFAULT_RETRY_AFTER_SECONDS;
}

/**
 * `privacy.reportPersonalData` sends one request per 90 accounts, all at once, and rejects with the
 * response when Atlassian refuses: the app calls it with one batch of at most 90 at a time, and a 429
 * becomes ReportThrottledError with the Retry-After it named.
 */
const atlassianReporter: AccountReporter = {
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

const invocationTime: RunTime = {
  remainingMs: () => getAppContext().invocationRemainingTimeInMillis(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function personalDataJob(): Promise<PersonalDataResult> {
  const result = await reportPersonalData({
    log: new SqlViolationLog(),
    // Erasing an account changes the config: the published copy on the project follows.
    configs: new PublishingConfigStore(new KvsConfigStore(), () => ({ jira: new ForgeJira(), cache: new KvsCache() })),
    reporter: atlassianReporter,
    cursor: new KvsReportCursor(),
    clock: systemClock,
    time: invocationTime,
  });
  console.log(`personal data: reported ${result.reported} accounts, ${result.closed.length} closed, ${result.logRowsErased} log rows erased, configs changed: ${result.configsChanged.join(', ') || 'none'}`);
  for (const problem of result.problems) console.warn(`personal data: ${problem}`);
  return result;
}
