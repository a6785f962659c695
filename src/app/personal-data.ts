/**
 * Personal data reporting. The app stores Atlassian account ids (never names or emails): in the
 * violation log (who acted, who acknowledged) and in every stored config (role members, who saved).
 * Forge apps report the accounts they hold (the AccountReporter port: `privacy.reportPersonalData` in
 * @forge/api posts to /app/report-accounts, 90 accounts a request) and erase the ones Atlassian answers as closed.
 *
 * A run reports a slice of the accounts in account id order, one request of at most 90 after the other
 * (Atlassian's limit; @forge/api would send them all at once), waits out a 429 for as long as its
 * Retry-After says when the invocation has the time, and remembers after every request where it got to:
 * a run that ends early (out of time, or still refused) leaves a cursor the next run carries on from.
 */
import { ConfigError, ROLE_KEYS, type ProjectConfig } from '../core';
import { ReportThrottledError, type AccountReporter, type AccountUpdate, type Clock, type ConfigStore, type HeldAccount, type ReportCursor, type RunTime, type StoredConfig, type ViolationLog } from './ports';

/** Who the app's own config saves are recorded as: not a person, and not an account Jira knows. */
export const APP_SAVER = 'app:scrum-role-guard';
/** 20 requests of 90: well inside an invocation's time. */
export const ACCOUNTS_PER_RUN = 1800;
/** Atlassian's personal data reporting takes at most 90 accounts a request. */
export const ACCOUNTS_PER_REQUEST = 90;
/** Waits for a Retry-After per request before the run stops and leaves the rest to the next one. */
const THROTTLE_WAITS = 3;
/** Time kept in hand for the erasures and the cursor after the last request. */
const TIME_IN_HAND_MS = 10_000;
const SAVE_ATTEMPTS = 3;

export interface PersonalDataDeps {
  readonly log: ViolationLog;
  readonly configs: ConfigStore;
  readonly reporter: AccountReporter;
  readonly cursor: ReportCursor;
  readonly clock: Clock;
  /** Accounts reported per run; ACCOUNTS_PER_RUN unless said. */
  readonly accountsPerRun?: number;
  /** The invocation's time (to wait out a 429, or stop in time); without it, no waiting. */
  readonly time?: RunTime;
}

export interface PersonalDataResult {
  readonly reported: number;
  readonly closed: readonly string[];
  readonly logRowsErased: number;
  readonly configsChanged: readonly string[];
  /** Configs that could not be read or saved; their accounts are reported again on a later run. */
  readonly problems: readonly string[];
  readonly nextAfter: string | null;
}

/** The config without the account: out of every role's users. */
export function withoutAccount(config: ProjectConfig, accountId: string): ProjectConfig {
  const roles = { ...config.roles };
  for (const role of ROLE_KEYS) roles[role] = { ...roles[role], users: roles[role].users.filter((id) => id !== accountId) };
  return { ...config, roles };
}

function accountsOf(stored: StoredConfig): string[] {
  return [...ROLE_KEYS.flatMap((role) => stored.document.roles[role].users), stored.updatedBy];
}

function later(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readConfigs(configs: ConfigStore, problems: string[]): Promise<StoredConfig[]> {
  const stored: StoredConfig[] = [];
  for (const key of await configs.projectKeys()) {
    try {
      const config = await configs.get(key);
      if (config !== null) stored.push(config);
    } catch (error) {
      problems.push(`${key}: ${describe(error)}`);
    }
  }
  return stored;
}

/** Every account held, merged by id with the latest time, in id order. */
async function heldAccounts(log: ViolationLog, stored: readonly StoredConfig[]): Promise<HeldAccount[]> {
  const latest = new Map<string, string>();
  const note = (accountId: string, updatedAt: string): void => {
    const known = latest.get(accountId);
    latest.set(accountId, known === undefined ? updatedAt : later(known, updatedAt));
  };
  for (const config of stored) for (const id of accountsOf(config)) if (id !== APP_SAVER) note(id, config.updatedAt);
  let after: string | null = null;
  for (;;) {
    const page = await log.accountsAfter(after, 5000);
    for (const account of page) note(account.accountId, account.updatedAt);
    if (page.length < 5000) break;
    after = page[page.length - 1]!.accountId;
  }
  return [...latest]
    .map(([accountId, updatedAt]) => ({ accountId, updatedAt }))
    .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
}

/**
 * Removes the account from one stored config as an ordinary versioned save by the app; when an admin
 * saved in between, starts again from what they saved.
 */
async function eraseFromConfig(configs: ConfigStore, key: string, accountId: string, now: Date): Promise<boolean> {
  let current = await configs.get(key);
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    if (current === null || !accountsOf(current).includes(accountId)) return false;
    const result = await configs.save(key, withoutAccount(current.document, accountId), current.revision, APP_SAVER, now);
    if (result.ok) return true;
    current = result.current;
  }
  throw new Error(`the config of ${key} kept changing while ${accountId} was being removed (${SAVE_ATTEMPTS} attempts)`);
}

/** Erases one closed account everywhere the app holds it. */
export async function eraseClosedAccount(
  deps: Pick<PersonalDataDeps, 'log' | 'configs' | 'clock'>,
  accountId: string,
  configKeys?: readonly string[],
): Promise<{ logRowsErased: number; configsChanged: string[]; problems: string[] }> {
  const logRowsErased = await deps.log.eraseAccount(accountId);
  const configsChanged: string[] = [];
  const problems: string[] = [];
  for (const key of configKeys ?? (await deps.configs.projectKeys())) {
    try {
      if (await eraseFromConfig(deps.configs, key, accountId, deps.clock.now())) configsChanged.push(key);
    } catch (error) {
      problems.push(`${key}: ${error instanceof ConfigError ? error.message : describe(error)}`);
    }
  }
  return { logRowsErased, configsChanged, problems };
}

export async function reportPersonalData(deps: PersonalDataDeps): Promise<PersonalDataResult> {
  const problems: string[] = [];
  const stored = await readConfigs(deps.configs, problems);
  const all = await heldAccounts(deps.log, stored);
  const after = await deps.cursor.get();
  const slice = all.filter((a) => after === null || a.accountId > after).slice(0, deps.accountsPerRun ?? ACCOUNTS_PER_RUN);
  const closed = new Set<string>();
  let logRowsErased = 0;
  const configsChanged = new Set<string>();
  const keys = stored.map((s) => s.projectKey);
  let reported = 0;
  let nextAfter: string | null = after;
  for (let start = 0; start < slice.length; start += ACCOUNTS_PER_REQUEST) {
    const batch = slice.slice(start, start + ACCOUNTS_PER_REQUEST);
    const updates = await reportBatch(deps, batch, problems);
    if (updates === null) break;
    for (const accountId of new Set(updates.filter((u) => u.status === 'closed').map((u) => u.accountId))) {
      if (closed.has(accountId)) continue;
      closed.add(accountId);
      const erased = await eraseClosedAccount(deps, accountId, keys);
      logRowsErased += erased.logRowsErased;
      erased.configsChanged.forEach((key) => configsChanged.add(key));
      problems.push(...erased.problems);
    }
    reported += batch.length;
    // Past the end, the next run starts from the first account again.
    const last = batch[batch.length - 1]!;
    nextAfter = all[all.length - 1]?.accountId === last.accountId ? null : last.accountId;
    await deps.cursor.set(nextAfter);
  }
  if (slice.length === 0) await deps.cursor.set(null);
  return { reported, closed: [...closed], logRowsErased, configsChanged: [...configsChanged], problems, nextAfter: slice.length === 0 ? null : nextAfter };
}

/** One request, waiting out 429s while the invocation has time; null when the run should stop here. */
async function reportBatch(deps: PersonalDataDeps, batch: readonly HeldAccount[], problems: string[]): Promise<readonly AccountUpdate[] | null> {
  for (let waits = 0; ; waits++) {
    if (deps.time && deps.time.remainingMs() < TIME_IN_HAND_MS) {
      problems.push(`stopped before ${batch[0]!.accountId}: the run is out of time; the next run carries on from there`);
      return null;
    }
    try {
      return await deps.reporter.report(batch);
    } catch (error) {
      if (!(error instanceof ReportThrottledError)) throw error;
      const wait = error.retryAfterSeconds * 1000;
      if (!deps.time || waits >= THROTTLE_WAITS || deps.time.remainingMs() - wait < TIME_IN_HAND_MS) {
        problems.push(`stopped before ${batch[0]!.accountId}: Atlassian asked to wait ${error.retryAfterSeconds} s; the next run carries on from there`);
        return null;
      }
      await deps.time.sleep(wait);
    }
  }
}
