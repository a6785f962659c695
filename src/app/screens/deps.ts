/** What every screen service is given: the stores, Jira both ways, the clock, and the audit's queue. */
import type { Clock, ConfigStore, EventQueue, JiraPort, JiraReads, KeyValueCache, RankSnapshot, ViolationLog } from '../ports';

export interface ScreenDeps {
  readonly configs: ConfigStore;
  readonly log: ViolationLog;
  readonly clock: Clock;
  /** Jira as the screens read it: with the caller's own rights, or the app's once the caller was checked. */
  readonly reads: JiraReads;
  /** Jira as the app enforces: the site's fields, the project's style, the order learnt after a save. */
  readonly jira: JiraPort;
  /** The app's notes (what the validator saw, the published config's state) and the audits in progress. */
  readonly cache: KeyValueCache;
  readonly ranks: RankSnapshot;
  /** Where the audit queues its steps. */
  readonly auditQueue: EventQueue;
}
