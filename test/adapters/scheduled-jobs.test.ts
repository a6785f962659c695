/**
 * The scheduled jobs' work on the real stores (KVS and SQL through the real clients on the local
 * Forge host): retention as the scheduledTrigger runs it, and personal data erasure across the log
 * and every stored config. Atlassian's answer to the personal data report is scripted here: the
 * local host does not serve /app/report-accounts.
 */
import { KvsConfigStore } from '../../src/adapters/kvs-config-store';
import { KvsReportCursor, KvsSiteSettings } from '../../src/adapters/site-settings';
import { SqlViolationLog } from '../../src/adapters/sql';
import { APP_SAVER, reportPersonalData, type PersonalDataDeps } from '../../src/app/personal-data';
import { SITE_DEFAULTS_KEY, type AccountReporter, type ConfigStore, type HeldAccount } from '../../src/app/ports';
import { DAY_MS } from '../../src/app/retention';
import type { ViolationRecord } from '../../src/core/violations';
import { projectConfigSchema, type ProjectConfig } from '../../src/core';
import { storageBed, type StorageBed } from './support';

const log = new SqlViolationLog();
const configs = new KvsConfigStore();
const settings = new KvsSiteSettings();
const cursor = new KvsReportCursor();
const clock = { now: () => new Date() };

function violation(id: string, actor: string, occurredAt: Date, extra: Partial<ViolationRecord> = {}): ViolationRecord {
  return {
    id,
    occurredAt: occurredAt.toISOString(),
    projectKey: 'DEMO',
    issueKey: 'DEMO-1',
    issueId: '10001',
    actor,
    actorRoles: ['developers'],
    rule: 'backlog-rank',
    mode: 'flag',
    outcome: 'flagged',
    fromValue: null,
    toValue: null,
    fromText: null,
    toText: null,
    sprintId: null,
    status: 'open',
    ackNote: null,
    ackBy: null,
    ackAt: null,
    ...extra,
  };
}

function config(roles: Partial<Record<'productOwner' | 'scrumMaster' | 'developers', string[]>>): ProjectConfig {
  return projectConfigSchema.parse({
    version: 1,
    roles: Object.fromEntries(Object.entries(roles).map(([role, users]) => [role, { users, groups: ['team-group'] }])),
  });
}

/** Atlassian's side of the report: remembers what it was asked, answers the given accounts as closed. */
function scriptedReporter(closed: readonly string[]): AccountReporter & { asked: HeldAccount[][] } {
  const asked: HeldAccount[][] = [];
  return {
    asked,
    report: async (accounts) => {
      asked.push([...accounts]);
      return accounts.filter((a) => closed.includes(a.accountId)).map((a) => ({ accountId: a.accountId, status: 'closed' as const }));
    },
  };
}

let bed: StorageBed;
beforeEach(async () => {
  bed = await storageBed('embedded');
});
afterEach(async () => {
  await bed.close();
});

describe('retention job', () => {
  it('removes the rows older than the configured period when the scheduled trigger runs, and keeps the rest', async () => {
    const now = Date.now();
    await bed.run(async () => {
      await settings.save({ retentionDays: 30 });
      await log.record(violation('1:backlog-rank', 'acc-a', new Date(now - 31 * DAY_MS)));
      await log.record(violation('2:backlog-rank', 'acc-a', new Date(now - 29 * DAY_MS)));
      await log.record(violation('3:backlog-rank', 'acc-b', new Date(now - 400 * DAY_MS)));
    });
    const result = (await bed.host.runScheduled('srg-retention')) as { retentionDays: number; deleted: number; cutoff: string };
    expect(result.retentionDays).toBe(30);
    expect(result.deleted).toBe(2);
    expect(Math.abs(Date.parse(result.cutoff) - (now - 30 * DAY_MS))).toBeLessThan(60_000);
    const left = await bed.run(() => Promise.all(['1:backlog-rank', '2:backlog-rank', '3:backlog-rank'].map((id) => log.get(id))));
    expect(left.map((r) => r?.id ?? null)).toEqual([null, '2:backlog-rank', null]);
  });

  it('uses 180 days when no period was saved', async () => {
    const now = Date.now();
    await bed.run(async () => {
      await log.record(violation('old:backlog-rank', 'acc-a', new Date(now - 181 * DAY_MS)));
      await log.record(violation('kept:backlog-rank', 'acc-a', new Date(now - 179 * DAY_MS)));
    });
    expect(await bed.host.runScheduled('srg-retention')).toEqual(expect.objectContaining({ retentionDays: 180, deleted: 1 }));
  });
});

describe('personal data', () => {
  const at = new Date('2026-01-15T10:00:00.000Z');

  async function seed(): Promise<void> {
    await bed.run(async () => {
      await log.record(violation('1:backlog-rank', 'acc-closed', new Date('2026-02-01T10:00:00.000Z')));
      await log.record(violation('2:backlog-rank', 'acc-dev', new Date('2026-02-02T10:00:00.000Z')));
      await log.record(violation('3:backlog-rank', 'acc-dev', new Date('2026-02-03T10:00:00.000Z')));
      await log.acknowledge(['2:backlog-rank'], 'DEMO', 'discussed', 'acc-closed', new Date('2026-02-10T10:00:00.000Z'));
      await configs.save('DEMO', config({ productOwner: ['acc-po'], scrumMaster: ['acc-closed'], developers: ['acc-dev', 'acc-closed'] }), null, 'acc-admin', at);
      await configs.save('OTHER', config({ productOwner: ['acc-po'] }), null, 'acc-closed', at);
      await configs.save('THIRD', config({ developers: ['acc-dev'] }), null, 'acc-admin', at);
      await configs.save(SITE_DEFAULTS_KEY, config({ scrumMaster: ['acc-closed'] }), null, 'acc-admin', at);
    });
  }

  function ports(reporter: AccountReporter, over: Partial<PersonalDataDeps> = {}): PersonalDataDeps {
    return { log, configs, reporter, cursor, clock, ...over };
  }

  it('reports every account the app holds, with the last time it stored something about it', async () => {
    await seed();
    const reporter = scriptedReporter([]);
    const result = await bed.run(() => reportPersonalData(ports(reporter)));
    expect(result).toEqual({ reported: 4, closed: [], logRowsErased: 0, configsChanged: [], problems: [], nextAfter: null });
    expect(reporter.asked).toEqual([
      [
        { accountId: 'acc-admin', updatedAt: at.toISOString() },
        // Acted on 1 Feb, saved a config on 15 Jan, acknowledged on 10 Feb: the latest counts.
        { accountId: 'acc-closed', updatedAt: '2026-02-10T10:00:00.000Z' },
        { accountId: 'acc-dev', updatedAt: '2026-02-03T10:00:00.000Z' },
        { accountId: 'acc-po', updatedAt: at.toISOString() },
      ],
    ]);
  });

  it('erases a closed account from the log and, by versioned saves as the app, from every config', async () => {
    await seed();
    const result = await bed.run(() => reportPersonalData(ports(scriptedReporter(['acc-closed']))));
    expect(result.closed).toEqual(['acc-closed']);
    // One row where it acted, one acknowledgement it made.
    expect(result.logRowsErased).toBe(2);
    expect([...result.configsChanged].sort()).toEqual(['DEMO', 'OTHER', SITE_DEFAULTS_KEY].sort());
    const after = await bed.run(async () => ({
      acted: await log.get('1:backlog-rank'),
      acknowledged: await log.get('2:backlog-rank'),
      demo: await configs.get('DEMO'),
      other: await configs.get('OTHER'),
      third: await configs.get('THIRD'),
      site: await configs.get(SITE_DEFAULTS_KEY),
    }));
    expect(after.acted).toBeNull();
    expect(after.acknowledged).toEqual(expect.objectContaining({ status: 'acknowledged', ackNote: 'discussed', ackBy: null }));
    expect(after.demo).toEqual(expect.objectContaining({ revision: 2, updatedBy: APP_SAVER, document: config({ productOwner: ['acc-po'], scrumMaster: [], developers: ['acc-dev'] }) }));
    // Only its name as the last saver: the document is unchanged, the saver is now the app.
    expect(after.other).toEqual(expect.objectContaining({ revision: 2, updatedBy: APP_SAVER, document: config({ productOwner: ['acc-po'] }) }));
    expect(after.third).toEqual(expect.objectContaining({ revision: 1, updatedBy: 'acc-admin' }));
    expect(after.site?.document.roles.scrumMaster.users).toEqual([]);
    // Nothing of the closed account is left to report.
    const reporter = scriptedReporter([]);
    await bed.run(() => reportPersonalData(ports(reporter)));
    expect(reporter.asked.flat().map((a) => a.accountId)).not.toContain('acc-closed');
  });

  it('starts again from what an admin saved in between, and keeps their change', async () => {
    await seed();
    // An admin saves DEMO just before the app's save lands: the app's first attempt meets a conflict.
    let interfered = false;
    const racing: ConfigStore = {
      get: (key) => configs.get(key),
      getRecent: (key, maxAgeSeconds) => configs.getRecent(key, maxAgeSeconds),
      projectKeys: () => configs.projectKeys(),
      save: async (key, document, expected, by, when) => {
        if (key === 'DEMO' && !interfered) {
          interfered = true;
          const current = await configs.get('DEMO');
          await configs.save('DEMO', { ...current!.document, rules: { 'sprint-rank': { mode: 'block' } } }, current!.revision, 'acc-admin', when);
        }
        return configs.save(key, document, expected, by, when);
      },
    };
    const result = await bed.run(() => reportPersonalData(ports(scriptedReporter(['acc-closed']), { configs: racing })));
    expect(result.problems).toEqual([]);
    const demo = await bed.run(() => configs.get('DEMO'));
    expect(demo).toEqual(expect.objectContaining({ revision: 3, updatedBy: APP_SAVER }));
    expect(demo?.document.rules).toEqual({ 'sprint-rank': { mode: 'block' } });
    expect(demo?.document.roles.developers.users).toEqual(['acc-dev']);
  });

  it('covers a large set over several runs, carrying on where the last one stopped', async () => {
    await seed();
    const reporter = scriptedReporter([]);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await bed.run(() => reportPersonalData(ports(reporter, { accountsPerRun: 2 }))));
    expect(runs.map((r) => r.nextAfter)).toEqual(['acc-closed', null, 'acc-closed']);
    expect(reporter.asked.map((batch) => batch.map((a) => a.accountId))).toEqual([
      ['acc-admin', 'acc-closed'],
      ['acc-dev', 'acc-po'],
      ['acc-admin', 'acc-closed'],
    ]);
  });
});
