/**
 * The workflow validator's decision (src/app/validator.ts) on in-memory fakes: who is refused, what is
 * logged, and that nothing is refused on a guess (nobody named, roles or config unreadable). Jira's own
 * calling of it, with the documented argument and the principal, is test/integration/validator.
 */
import { refusalMessage, unknownActorKey, validateTransition } from '../../src/app/validator';
import { projectConfigSchema } from '../../src/core/config';
import { FAKE_FIELDS, fakeApp, type FakeApp } from '../fakes';
import { PEOPLE } from '../support/payloads';

let app: FakeApp;

async function configure(mode: 'flag' | 'block', on: FakeApp = app): Promise<void> {
  const current = await on.store.get('DEMO');
  const document = projectConfigSchema.parse({
    version: 1,
    roles: { productOwner: { users: [PEOPLE.po] }, developers: { users: [PEOPLE.dev1], groups: ['group-devs'] }, stakeholders: { users: [PEOPLE.stakeholder] } },
    fields: FAKE_FIELDS,
    rules: { 'status-change': { mode } },
  });
  expect((await on.screens.configs.save('DEMO', document, current?.revision ?? null, PEOPLE.po, on.clock.now())).ok).toBe(true);
}

/** Forge's documented argument (no user), with who transitions as the payload's own `atlassianId`. */
function attempt(key: string, actor: string | null, on: FakeApp = app) {
  const item = app.jira.items.get(key)!;
  return validateTransition({ issue: { key, id: item.id }, transition: { from: { id: '10000' }, to: { id: '3' } }, ...(actor ? { atlassianId: actor } : {}) }, on.validator);
}

beforeEach(async () => {
  app = fakeApp();
  app.jira.seed('DEMO', 4, [1]);
  await configure('block');
});

it('refuses someone outside the Developers, logs each attempt and brings the work item\'s summary up to date', async () => {
  expect(await attempt('DEMO-1', PEOPLE.stakeholder)).toEqual({ result: false, errorMessage: refusalMessage('status-change') });
  expect(await attempt('DEMO-1', PEOPLE.stakeholder)).toMatchObject({ result: false });
  expect(app.log.all()).toEqual([
    expect.objectContaining({ rule: 'status-change', mode: 'block', outcome: 'refused', actor: PEOPLE.stakeholder, actorRoles: ['stakeholders'], issueId: app.jira.items.get('DEMO-1')!.id, fromValue: '10000', toValue: '3', sprintId: '1' }),
    expect.objectContaining({ outcome: 'refused' }),
  ]);
  expect(app.jira.items.get('DEMO-1')!.properties['scrum-role-guard-summary']).toMatchObject({ openCount: 2, total: 2 });
  expect(refusalMessage('status-change')).toBe('Scrum Role Guard: in this project, only the Developers may move work items to another status. The Scrum roles panel on this work item says why, and who to talk to.');
});

it('lets the Developers through, by name or by group, and refuses nothing while the rule only flags', async () => {
  app.jira.groups.set(PEOPLE.dev2, ['group-devs']);
  expect(await attempt('DEMO-2', PEOPLE.dev1)).toEqual({ result: true });
  expect(await attempt('DEMO-2', PEOPLE.dev2)).toEqual({ result: true });
  await configure('flag');
  app.clock.advance(31_000);
  expect(await attempt('DEMO-2', PEOPLE.stakeholder)).toEqual({ result: true });
  expect(app.log.all()).toEqual([]);
});

it('lets a transition with nobody named through, logs it once and counts it for the settings page', async () => {
  expect(await attempt('DEMO-2', null)).toEqual({ result: true });
  expect(await attempt('DEMO-3', null)).toEqual({ result: true });
  expect(app.log.all()).toEqual([expect.objectContaining({ id: 'unknown-actor-DEMO:status-change', outcome: 'unjudgeable', issueKey: 'DEMO-2', issueId: null, actor: '' })]);
  expect(await app.cache.get(unknownActorKey('DEMO'))).toEqual({ count: 2, since: app.clock.now().toISOString(), lastIssueKey: 'DEMO-3' });
});

it('refuses nothing on a guess: roles or the config unreadable let the transition through, on record when the log can take it', async () => {
  app.jira.fail('groupsOf', 1);
  expect(await attempt('DEMO-2', PEOPLE.stakeholder)).toEqual({ result: true });
  expect(app.log.all()).toEqual([expect.objectContaining({ outcome: 'unjudgeable', actor: PEOPLE.stakeholder, actorRoles: [], fromValue: '10000', toValue: '3' })]);
  app.jira.fail('groupsOf', 1);
  app.log.refuseRecords = 1;
  expect(await attempt('DEMO-2', PEOPLE.stakeholder)).toEqual({ result: true });
  const fresh = app.container();
  jest.spyOn(fresh.store, 'get').mockRejectedValueOnce(new Error('app storage did not answer'));
  expect(await attempt('DEMO-2', PEOPLE.stakeholder, fresh)).toEqual({ result: true });
  expect(app.log.all()).toHaveLength(1);
});

it('judges by the config it read for half a minute, then by the one saved since', async () => {
  const settingsPage = app.container();
  expect(await attempt('DEMO-2', PEOPLE.stakeholder)).toMatchObject({ result: false });
  await configure('flag', settingsPage);
  const reads = app.store.backing.reads;
  expect(await attempt('DEMO-2', PEOPLE.stakeholder)).toMatchObject({ result: false });
  expect(app.store.backing.reads).toBe(reads);
  app.clock.advance(31_000);
  expect(await attempt('DEMO-2', PEOPLE.stakeholder)).toEqual({ result: true });
});
