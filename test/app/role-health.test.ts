/**
 * Role health's cost, on in-memory fakes (src/app/role-health.ts): a closed sprint's figures are
 * computed once and then answered from the cache with no history read; the active sprint's are read
 * again only when five minutes old, and then only its own window is replayed.
 */
import { parseConfigOrThrow } from '../../src/core/config';
import { ACTIVE_FRESH_MS, roleHealthFigures, runHealthStep, type HealthDeps } from '../../src/app/role-health';
import { FAKE_FIELDS, fakeApp, type FakeApp } from '../fakes';
import { PEOPLE } from '../support/payloads';

const config = parseConfigOrThrow({
  version: 1,
  roles: { productOwner: { users: [PEOPLE.po] }, scrumMaster: { users: [PEOPLE.sm] }, developers: { users: [PEOPLE.dev1] }, stakeholders: { users: [PEOPLE.stakeholder] } },
  fields: FAKE_FIELDS,
}).config;
const directory = { groupMembers: {}, projectRoleMembers: {} };

let app: FakeApp;
let deps: HealthDeps;

const status = (id: string, created: string, who: string) => ({
  id,
  created,
  author: { accountId: who },
  items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: '10000', fromString: 'To Do', to: '3', toString: 'In Progress' }],
});

beforeEach(() => {
  app = fakeApp();
  deps = { reads: app.reads, cache: app.cache, clock: app.clock, queue: app.auditQueue };
  // The fake clock starts at 2026-11-10T10:00Z: sprint 10 closed on the 5th, sprint 11 runs since the 6th.
  app.reads.sprints.push(
    { id: 10, name: 'Sprint 10', state: 'closed', startDate: '2026-10-25T09:00:00.000Z', endDate: '2026-11-05T17:00:00.000Z', completeDate: '2026-11-05T16:00:00.000Z' },
    { id: 11, name: 'Sprint 11', state: 'active', startDate: '2026-11-06T09:00:00.000Z', endDate: '2026-11-20T17:00:00.000Z' },
    { id: 12, name: 'Sprint 12', state: 'future' },
  );
  app.reads.issues.push({ id: '20001', key: 'DEMO-1', fields: { project: { id: '10000', key: 'DEMO' }, issuetype: { subtask: false }, created: '2026-10-20T09:00:00.000+0000', creator: { accountId: PEOPLE.po } } });
  app.reads.histories.set('20001', [status('30001', '2026-11-01T09:00:00.000+0000', PEOPLE.sm), status('30002', '2026-11-07T09:00:00.000+0000', PEOPLE.dev1)]);
});

async function drain(): Promise<void> {
  for (let bodies = app.auditQueue.take(); bodies.length > 0; bodies = app.auditQueue.take()) {
    for (const body of bodies) await runHealthStep(body, deps, () => null);
  }
}

it('keeps a closed sprint once computed and reads the active one again only after five minutes', async () => {
  expect(await roleHealthFigures(deps, 'DEMO', config, directory, 6)).toMatchObject({ state: 'computing' });
  await drain();
  const first = await roleHealthFigures(deps, 'DEMO', config, directory, 6);
  expect(first.state).toBe('ready');
  expect(first.sprints.map((s) => [s.sprint.id, s.sprint.state, s.counts['status-update'].scrumMaster, s.counts['status-update'].developers])).toEqual([
    ['10', 'closed', 1, 0],
    ['11', 'active', 0, 1],
  ]);
  const readsAfterFirst = app.reads.count('changelogsOf');
  expect(readsAfterFirst).toBe(1);

  // Within five minutes: answered from what is kept, nothing queued, no history read.
  app.clock.advance(ACTIVE_FRESH_MS - 1000);
  expect(await roleHealthFigures(deps, 'DEMO', config, directory, 6)).toMatchObject({ state: 'ready' });
  expect(app.auditQueue.pushed).toHaveLength(0);
  expect(app.reads.count('changelogsOf')).toBe(readsAfterFirst);

  // Five minutes on: the active sprint alone is computed again (its window only), the closed one is kept.
  app.reads.histories.get('20001')!.push(status('30003', new Date(app.clock.now().getTime() - 60_000).toISOString(), PEOPLE.dev1));
  app.clock.advance(2000);
  expect(await roleHealthFigures(deps, 'DEMO', config, directory, 6)).toMatchObject({ state: 'computing' });
  const jql = app.reads.calls.filter((c) => c.method === 'searchIssues').length;
  await drain();
  const second = await roleHealthFigures(deps, 'DEMO', config, directory, 6);
  expect(second.sprints.map((s) => [s.sprint.id, s.counts['status-update'].developers])).toEqual([
    ['10', 0],
    ['11', 2],
  ]);
  expect(second.sprints[0]!.computedAt).toBe(first.sprints[0]!.computedAt);
  expect(second.sprints[1]!.computedAt).not.toBe(first.sprints[1]!.computedAt);
  expect(app.reads.calls.filter((c) => c.method === 'searchIssues').length).toBe(jql + 2);
  // The window asked of Jira starts with the active sprint, not the closed one.
  const lastJql = app.reads.calls.filter((c) => c.method === 'searchIssues').at(-2)!.args[0] as string;
  expect(lastJql).toMatch(/updated >= -6d/); // four days and a bit, and a day's margin; the closed sprint would need 18
});

it('computes again under another role map rather than answering with figures kept for the old one', async () => {
  await roleHealthFigures(deps, 'DEMO', config, directory, 6);
  await drain();
  const other = { ...config, roles: { ...config.roles, developers: { users: [PEOPLE.dev1, PEOPLE.sm], groups: [], projectRoles: [] } } };
  expect(await roleHealthFigures(deps, 'DEMO', other, directory, 6)).toMatchObject({ state: 'computing' });
  await drain();
  const answer = await roleHealthFigures(deps, 'DEMO', other, directory, 6);
  expect(answer.sprints[0]!.counts['status-update']).toMatchObject({ scrumMaster: 0, developers: 1 });
});
