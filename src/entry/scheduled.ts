/**
 * Scheduled jobs (scheduledTrigger modules). They only wire: the services in src/app do the work.
 * - retentionJob (daily): removes violation log rows older than the site's retention period.
 * - personalDataJob (weekly): reports the account ids the app holds through Forge's personal data
 *   reporting API and erases closed accounts from the log and from every stored config.
 */
import { privacy } from '@forge/api';
import { KvsConfigStore } from '../adapters/kvs-config-store';
import { KvsReportCursor, KvsSiteSettings } from '../adapters/site-settings';
import { SqlViolationLog } from '../adapters/sql';
import { reportPersonalData, type AccountReporter, type PersonalDataResult } from '../app/personal-data';
import { applyRetention, type RetentionResult } from '../app/retention';

const systemClock = { now: () => new Date() };

export async function retentionJob(): Promise<RetentionResult> {
  const result = await applyRetention({ settings: new KvsSiteSettings(), log: new SqlViolationLog(), clock: systemClock });
  console.log(`retention: removed ${result.deleted} violation log rows older than ${result.cutoff} (${result.retentionDays} days)`);
  return result;
}

const atlassianReporter: AccountReporter = {
  report: async (accounts) => privacy.reportPersonalData(accounts.map((a) => ({ accountId: a.accountId, updatedAt: a.updatedAt }))),
};

export async function personalDataJob(): Promise<PersonalDataResult> {
  const result = await reportPersonalData({
    log: new SqlViolationLog(),
    configs: new KvsConfigStore(),
    reporter: atlassianReporter,
    cursor: new KvsReportCursor(),
    clock: systemClock,
  });
  console.log(`personal data: reported ${result.reported} accounts, ${result.closed.length} closed, ${result.logRowsErased} log rows erased, configs changed: ${result.configsChanged.join(', ') || 'none'}`);
  for (const problem of result.problems) console.warn(`personal data: ${problem}`);
  return result;
}
