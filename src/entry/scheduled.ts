/**
 * Scheduled jobs (scheduledTrigger modules). They only wire: the services in src/app do the work.
 * - retentionJob (daily): removes violation log rows older than the site's retention period.
 * - personalDataJob (weekly): reports the account ids the app holds through Forge's personal data
 *   reporting API and erases closed accounts from the log and from every stored config.
 */
import { reportPersonalData, type PersonalDataResult } from '../app/personal-data';
import { applyRetention, type RetentionResult } from '../app/retention';
import { container } from './container';

export async function retentionJob(): Promise<RetentionResult> {
  const result = await applyRetention(container().retention);
  console.log(`retention: removed ${result.deleted} violation log rows older than ${result.cutoff} (${result.retentionDays} days)`);
  return result;
}

export async function personalDataJob(): Promise<PersonalDataResult> {
  // Erasing an account changes the config: the published copy on the project follows (the store publishes).
  const result = await reportPersonalData(container().personalData);
  console.log(`personal data: reported ${result.reported} accounts, ${result.closed.length} closed, ${result.logRowsErased} log rows erased, configs changed: ${result.configsChanged.join(', ') || 'none'}`);
  for (const problem of result.problems) console.warn(`personal data: ${problem}`);
  return result;
}
