/**
 * The composition root: the one place that builds the Forge adapters and the services on them. Every
 * entry point (triggers, the queue consumers, the workflow validator, the scheduled jobs, the resolvers)
 * takes its dependencies from here.
 *
 * Built once per warm container and installation: a Forge container may serve several installations,
 * and everything the app remembers between invocations (configs read, roles resolved, the app's own
 * account, the log's schema check) lives in these objects, never in a module, so no installation ever
 * sees another's.
 */
import { getAppContext } from '@forge/api';
import { invocationTime, systemClock } from '../adapters/clock';
import { ForgeJira } from '../adapters/jira';
import { forgeJiraReads } from '../adapters/jira-reads';
import { KvsCache, KvsRankSnapshot } from '../adapters/kvs-cache';
import { KvsConfigStore } from '../adapters/kvs-config-store';
import { atlassianReporter } from '../adapters/privacy';
import { ForgeEventQueue } from '../adapters/queue';
import { KvsReportCursor, KvsSiteSettings } from '../adapters/site-settings';
import { SqlViolationLog } from '../adapters/sql';
import type { JudgeDeps } from '../app/judge';
import type { PersonalDataDeps } from '../app/personal-data';
import type { EventQueue } from '../app/ports';
import { ProjectConfigs } from '../app/project-config';
import { PublishingConfigStore } from '../app/published-config';
import type { RetentionDeps } from '../app/retention';
import { RoleResolver } from '../app/roles-service';
import { AUDIT_QUEUE_KEY } from '../app/screens/audit-runner';
import type { ScreenDeps } from '../app/screens/deps';
import { SiteFacts } from '../app/site-facts';
import type { ValidatorDeps } from '../app/validator';

export interface Container {
  /** The triggers and the enforcement consumer. */
  readonly enforcement: JudgeDeps & { readonly queue: EventQueue };
  readonly validator: ValidatorDeps;
  /** The resolvers and the audit's consumer. */
  readonly screens: ScreenDeps;
  readonly retention: RetentionDeps;
  readonly personalData: PersonalDataDeps;
}

function build(): Container {
  const clock = systemClock;
  const jira = new ForgeJira();
  const cache = new KvsCache();
  const ranks = new KvsRankSnapshot();
  const log = new SqlViolationLog();
  // Every project config saved is also published on the project, for Jira's expression validator.
  const configs = new PublishingConfigStore(new KvsConfigStore(clock), { jira, cache });
  const projectConfigs = new ProjectConfigs({ configs, jira, cache, clock });
  const roles = new RoleResolver(jira, cache, clock);
  const enforcement = { jira, projectConfigs, site: new SiteFacts({ jira, cache, clock }), log, cache, ranks, roles, clock, queue: new ForgeEventQueue() };
  return {
    enforcement,
    validator: enforcement,
    screens: { configs, log, clock, reads: forgeJiraReads, jira, cache, ranks, auditQueue: new ForgeEventQueue(AUDIT_QUEUE_KEY) },
    retention: { settings: new KvsSiteSettings(), log, clock },
    personalData: { log, configs, reporter: atlassianReporter, cursor: new KvsReportCursor(), clock, time: invocationTime },
  };
}

const containers = new Map<string, Container>();

/** The dependencies of this invocation's installation; call it inside an invocation. */
export function container(): Container {
  const { installationAri, environmentAri } = getAppContext();
  const key = `${installationAri.installationId}/${environmentAri.environmentId}`;
  let found = containers.get(key);
  if (found === undefined) {
    if (containers.size >= 100) containers.clear();
    found = build();
    containers.set(key, found);
  }
  return found;
}
