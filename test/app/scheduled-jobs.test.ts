/**
 * The scheduled jobs' services on in-memory fakes: retention by the site's period, and personal data
 * reporting through Atlassian's busy answers (waiting out a Retry-After while the invocation has time,
 * stopping with a cursor when it has not), erasing a closed account from the log and every config, the
 * published copy included. The jobs on the real stores are test/adapters/scheduled-jobs and
 * test/sandbox/personal-data.
 */
import { ACCOUNTS_PER_REQUEST, APP_SAVER, reportPersonalData } from '../../src/app/personal-data';
import { applyRetention, DAY_MS } from '../../src/app/retention';
import { PUBLISHED_CONFIG_PROPERTY } from '../../src/app/published-config';
import { projectConfigSchema } from '../../src/core/config';
import type { ViolationRecord } from '../../src/core/violations';
import { FakeSiteSettings, fakeApp, type FakeApp } from '../fakes';

let app: FakeApp;

function row(n: number, actor: string, daysAgo: number): ViolationRecord {
  return {
    id: `${n}:priority-change`,
    occurredAt: new Date(app.clock.now().getTime() - daysAgo * DAY_MS).toISOString(),
    projectKey: 'DEMO',
    issueKey: 'DEMO-1',
    issueId: '10001',
    actor,
    actorRoles: [],
    rule: 'priority-change',
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
  };
}

beforeEach(() => {
  app = fakeApp();
});

it('retention removes what is older than the site\'s period, 180 days unless saved otherwise', async () => {
  const settings = new FakeSiteSettings();
  for (const [n, days] of [[1, 200], [2, 100], [3, 10]] as const) await app.log.record(row(n, 'acc-a', days));
  expect(await applyRetention({ settings, log: app.log, clock: app.clock })).toMatchObject({ retentionDays: 180, deleted: 1 });
  await settings.save({ retentionDays: 30 });
  expect(await applyRetention({ settings, log: app.log, clock: app.clock })).toMatchObject({ retentionDays: 30, deleted: 1 });
  expect(app.log.all().map((r) => r.id)).toEqual(['3:priority-change']);
});

describe('personal data reporting', () => {
  beforeEach(async () => {
    const document = projectConfigSchema.parse({ version: 1, roles: { productOwner: { users: ['acc-po'] }, scrumMaster: { users: ['acc-closed'] } }, rules: { 'status-change': { mode: 'block' } } });
    expect((await app.screens.configs.save('DEMO', document, null, 'acc-admin', app.clock.now())).ok).toBe(true);
    for (let n = 0; n < 200; n++) await app.log.record(row(n, `acc-${String(n).padStart(3, '0')}`, 1));
    await app.log.record(row(999, 'acc-closed', 1));
    app.reporter.closed.add('acc-closed');
  });

  it('reports in batches of 90, erases a closed account from the log and the config, and publishes the config again', async () => {
    const result = await reportPersonalData(app.personalData);
    expect(app.reporter.asked.map((batch) => batch.length)).toEqual([ACCOUNTS_PER_REQUEST, ACCOUNTS_PER_REQUEST, 23]);
    expect(result).toMatchObject({ reported: 203, closed: ['acc-closed'], logRowsErased: 1, configsChanged: ['DEMO'], problems: [], nextAfter: null });
    const stored = await app.store.get('DEMO');
    expect(stored).toMatchObject({ revision: 2, updatedBy: APP_SAVER });
    expect(stored!.document.roles.scrumMaster.users).toEqual([]);
    expect(app.jira.projectProperties.get(`DEMO/${PUBLISHED_CONFIG_PROPERTY}`)).toMatchObject({ revision: 2 });
    expect(app.log.all().some((r) => r.actor === 'acc-closed')).toBe(false);
  });

  it('waits out a Retry-After while the invocation has time, and otherwise stops with a cursor the next run carries on from', async () => {
    app.reporter.throttles.push(5, 5);
    const first = await reportPersonalData(app.personalData);
    expect(app.clock.slept).toEqual([5000, 5000]);
    expect(first.reported).toBe(203);

    app.reporter.throttles.push(5);
    app.clock.remaining = 12_000;
    const stopped = await reportPersonalData(app.personalData);
    expect(stopped).toMatchObject({ reported: 0, problems: [expect.stringMatching(/asked to wait 5 s/)] });
    app.clock.remaining = 55_000;
    const asked = app.reporter.asked.length;
    await reportPersonalData(app.personalData);
    expect(app.reporter.asked.length - asked).toBe(3);
  });
});
