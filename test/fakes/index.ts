/**
 * The app's services wired on in-memory fakes of every port, the way src/entry/container.ts wires them
 * on Forge: the fast tests drive the real services (judge, rank order, the validator, the audit, the
 * screens) through these, in milliseconds, and look at the fakes' state afterwards.
 */
import type { JudgeDeps } from '../../src/app/judge';
import type { PersonalDataDeps } from '../../src/app/personal-data';
import { ProjectConfigs } from '../../src/app/project-config';
import { PublishingConfigStore } from '../../src/app/published-config';
import { RoleResolver } from '../../src/app/roles-service';
import type { ScreenDeps } from '../../src/app/screens/deps';
import { SiteFacts } from '../../src/app/site-facts';
import type { ValidatorDeps } from '../../src/app/validator';
import { FakeClock } from './clock';
import { FakeJira, FakeJiraReads } from './jira';
import { FakeQueue, FakeReporter } from './platform';
import { ConfigBacking, FakeCache, FakeConfigStore, FakeRankSnapshot, FakeReportCursor } from './stores';
import { FakeViolationLog } from './violation-log';

export * from './clock';
export * from './jira';
export * from './platform';
export * from './stores';
export * from './violation-log';

export interface FakeApp {
  readonly clock: FakeClock;
  readonly jira: FakeJira;
  readonly reads: FakeJiraReads;
  readonly cache: FakeCache;
  readonly ranks: FakeRankSnapshot;
  readonly log: FakeViolationLog;
  readonly store: FakeConfigStore;
  readonly queue: FakeQueue;
  readonly auditQueue: FakeQueue;
  readonly reporter: FakeReporter;
  readonly enforcement: JudgeDeps;
  readonly validator: ValidatorDeps;
  readonly screens: ScreenDeps;
  readonly personalData: PersonalDataDeps;
  /** Another warm container of the same installation: the same storage and Jira, memory of its own. */
  container(): FakeApp;
}

export function fakeApp(shared?: Pick<FakeApp, 'clock' | 'jira' | 'reads' | 'cache' | 'ranks' | 'log' | 'queue' | 'auditQueue' | 'reporter'> & { backing: ConfigBacking }): FakeApp {
  const clock = shared?.clock ?? new FakeClock();
  const jira = shared?.jira ?? new FakeJira();
  const reads = shared?.reads ?? new FakeJiraReads();
  const cache = shared?.cache ?? new FakeCache(clock);
  const ranks = shared?.ranks ?? new FakeRankSnapshot();
  const log = shared?.log ?? new FakeViolationLog();
  const queue = shared?.queue ?? new FakeQueue();
  const auditQueue = shared?.auditQueue ?? new FakeQueue();
  const reporter = shared?.reporter ?? new FakeReporter();
  const backing = shared?.backing ?? new ConfigBacking();
  const store = new FakeConfigStore(clock, backing);
  const configs = new PublishingConfigStore(store, { jira, cache });
  const projectConfigs = new ProjectConfigs({ configs, jira, cache, clock });
  const roles = new RoleResolver(jira, cache, clock);
  const enforcement: JudgeDeps = { jira, projectConfigs, site: new SiteFacts({ jira, cache, clock }), log, cache, ranks, roles, clock };
  const app: FakeApp = {
    clock,
    jira,
    reads,
    cache,
    ranks,
    log,
    store,
    queue,
    auditQueue,
    reporter,
    enforcement,
    validator: enforcement,
    screens: { configs, log, clock, reads, jira, cache, ranks, auditQueue },
    personalData: { log, configs, reporter, cursor: new FakeReportCursor(), clock, time: clock },
    container: () => fakeApp({ clock, jira, reads, cache, ranks, log, queue, auditQueue, reporter, backing }),
  };
  return app;
}

