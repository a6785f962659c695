/**
 * The judging service's hard paths, on in-memory fakes of every port (milliseconds each): an event
 * delivered twice, an undo no longer needed, Jira busy before and on the last try, a config saved
 * while events stream in, the app's own changes, and the order the app knows after each of these.
 * The same paths on the sandbox, with the real Forge clients, are in test/integration and test/hardening.
 */
import { judgeEvent, type Attempt, type JudgeResult } from '../../src/app/judge';
import { JiraRequestError } from '../../src/app/ports';
import { CONFIG_FRESH_SECONDS } from '../../src/app/project-config';
import { projectConfigSchema } from '../../src/core/config';
import { routeEvent } from '../../src/core/routing';
import { APP_ACCOUNT, CHANGE_ITEMS, FAKE_FIELDS, fakeApp, type FakeApp } from '../fakes';
import { PEOPLE, sprintEvent } from '../support/payloads';

const FIRST: Attempt = { retryCount: 0, last: false };
const LAST: Attempt = { retryCount: 4, last: true };

function document(rules: Record<string, 'off' | 'flag' | 'block'>, extra: Record<string, unknown> = {}) {
  return projectConfigSchema.parse({
    version: 1,
    roles: { productOwner: { users: [PEOPLE.po] }, scrumMaster: { users: [PEOPLE.sm] }, developers: { users: [PEOPLE.dev1, PEOPLE.dev2] }, stakeholders: { users: [PEOPLE.stakeholder] } },
    fields: FAKE_FIELDS,
    rules: Object.fromEntries(Object.entries(rules).map(([id, mode]) => [id, { mode }])),
    ...extra,
  });
}

let app: FakeApp;

async function configure(rules: Record<string, 'off' | 'flag' | 'block'>, on: FakeApp = app, extra: Record<string, unknown> = {}): Promise<void> {
  const current = await on.store.get('DEMO');
  const saved = await on.screens.configs.save('DEMO', document(rules, extra), current?.revision ?? null, PEOPLE.po, on.clock.now());
  if (!saved.ok) throw new Error('the config was not saved');
}

function judge(event: Record<string, unknown>, attempt = FIRST, on: FakeApp = app): Promise<JudgeResult> {
  return judgeEvent(routeEvent(event), on.enforcement, attempt);
}

/** Stella (a stakeholder) sets DEMO-3's priority to Highest: the change in Jira and its event. */
function priorityByStella(key = 'DEMO-3'): Record<string, unknown> {
  const from = app.jira.items.get(key)!.priorityId!;
  const id = app.jira.userChanges(PEOPLE.stakeholder, key, { field: 'priority', to: '1' });
  return app.jira.updateEvent(PEOPLE.stakeholder, key, id, [CHANGE_ITEMS.priority(from, '1')]);
}

function outcomes(result: JudgeResult): string[] {
  return result.kind === 'judged' ? result.violations.map((v) => `${v.rule} ${v.outcome}${v.inserted ? '' : ' (again)'}`) : [`ignored: ${result.reason}`];
}

beforeEach(() => {
  app = fakeApp();
  app.jira.seed('DEMO', 8, [1, 2]);
});

describe('an event delivered more than once', () => {
  it('is logged once and undone once', async () => {
    await configure({ 'priority-change': 'block' });
    const event = priorityByStella();
    expect(outcomes(await judge(event))).toEqual(['priority-change reverted']);
    expect(outcomes(await judge(event))).toEqual(['priority-change reverted (again)']);
    expect(app.jira.count('editFields')).toBe(1);
    expect(app.jira.items.get('DEMO-3')!.priorityId).toBe('3');
    expect(app.log.all()).toEqual([expect.objectContaining({ rule: 'priority-change', outcome: 'reverted', actor: PEOPLE.stakeholder, fromValue: '3', toValue: '1' })]);
  });

  it('finds the undo done when the mark of it was lost (its own change is in the history), and leaves the log as it was', async () => {
    await configure({ 'priority-change': 'block' });
    const event = priorityByStella();
    await judge(event);
    app.cache.entries.clear();
    expect(outcomes(await judge(event))).toEqual(['priority-change flagged (again)']);
    expect(app.jira.count('editFields')).toBe(1);
    expect(app.log.all().map((r) => r.outcome)).toEqual(['reverted']);
  });
});

describe('an undo no longer needed', () => {
  it('is skipped when the item changed again before the event was judged', async () => {
    await configure({ 'priority-change': 'block' });
    const late = priorityByStella();
    app.jira.userChanges(PEOPLE.po, 'DEMO-3', { field: 'priority', to: '2' });
    expect(outcomes(await judge(late))).toEqual(['priority-change revert-skipped']);
    expect(app.jira.count('editFields')).toBe(0);
    expect(app.jira.items.get('DEMO-3')!.priorityId).toBe('2');
  });

  it('moves nothing back when the item is already where it was', async () => {
    await configure({ 'backlog-rank': 'block' });
    app.ranks.seeded.add('DEMO');
    await app.ranks.putMany(app.jira.order().map((key) => ({ issueId: app.jira.items.get(key)!.id, issueKey: key, project: 'DEMO', rank: app.jira.items.get(key)!.rank, orderKey: app.jira.items.get(key)!.rank, changelogId: '0' })));
    const up = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-5', { field: 'rank', anchor: { before: 'DEMO-3' } });
    const upEvent = app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-5', up, [CHANGE_ITEMS.rank('higher')]);
    const down = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-5', { field: 'rank', anchor: { after: 'DEMO-4' } });
    const downEvent = app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-5', down, [CHANGE_ITEMS.rank('lower')]);
    // The later move took it back first: the earlier one moved since, the later one finds it in place.
    expect(outcomes(await judge(downEvent))).toEqual(['backlog-rank revert-skipped']);
    expect(outcomes(await judge(upEvent))).toEqual(['backlog-rank revert-skipped']);
    expect(app.jira.count('rank')).toBe(0);
    expect(app.jira.order()).toEqual(['DEMO-1', 'DEMO-2', 'DEMO-3', 'DEMO-4', 'DEMO-5', 'DEMO-6', 'DEMO-7', 'DEMO-8']);
  });
});

describe('Jira busy', () => {
  it('asks for a retry before the last try, and undoes nothing on a guess after it', async () => {
    await configure({ 'priority-change': 'block' });
    const event = priorityByStella();
    app.jira.fail('readIssue', 5);
    await expect(judge(event)).rejects.toThrow(/answered 503/);
    expect(app.log.all()).toEqual([]);
    expect(outcomes(await judge(event, LAST))).toEqual(['priority-change unjudgeable']);
    expect(app.jira.count('editFields')).toBe(0);
    expect(app.log.all()).toEqual([expect.objectContaining({ outcome: 'unjudgeable', actorRoles: [], fromValue: '3', toValue: '1' })]);
  });

  it('logs the event unjudgeable at once when Jira refuses to say who the actor is', async () => {
    await configure({ 'priority-change': 'block' }, app, { roles: { productOwner: { users: [PEOPLE.po], groups: ['group-po'] } } });
    app.jira.fail('groupsOf', 1, () => new JiraRequestError(403, 'groupsOf', 'no'));
    expect(outcomes(await judge(priorityByStella()))).toEqual(['priority-change unjudgeable']);
    expect(app.jira.count('editFields')).toBe(0);
  });

  it('forgets the order it knew when a move could not be judged, and learns it again at the next one', async () => {
    await configure({ 'backlog-rank': 'block' }, app, { roles: { productOwner: { users: [PEOPLE.po], groups: ['group-po'] } } });
    app.ranks.seeded.add('DEMO');
    const id = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-6', { field: 'rank', anchor: { before: 'DEMO-3' } });
    app.jira.fail('groupsOf', 1);
    expect(outcomes(await judge(app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-6', id, [CHANGE_ITEMS.rank()]), LAST))).toEqual(['backlog-rank unjudgeable']);
    expect(app.ranks.seeded.has('DEMO')).toBe(false);
    const next = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-7', { field: 'rank', anchor: { before: 'DEMO-3' } });
    expect(outcomes(await judge(app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-7', next, [CHANGE_ITEMS.rank()])))).toEqual(['backlog-rank revert-skipped']);
    expect(app.jira.count('rankOrder')).toBe(1);
  });

  it('records the violation without its sprint when the sprint cannot be read on the last try', async () => {
    await configure({ 'item-create': 'flag' });
    app.jira.fail('agileSprints', 5);
    const item = app.jira.items.get('DEMO-4')!;
    const created = { eventType: 'avi:jira:created:issue', atlassianId: PEOPLE.stakeholder, issue: { id: item.id, key: item.key, fields: { project: { key: 'DEMO' }, issuetype: { subtask: false } } } };
    await expect(judge(created)).rejects.toThrow(/answered 503/);
    expect(outcomes(await judge(created, LAST))).toEqual(['item-create flagged']);
    expect(app.log.all()).toEqual([expect.objectContaining({ rule: 'item-create', sprintId: null })]);
  });
});

describe('a config saved while events stream in', () => {
  it('reaches a warm container within a minute, and the container that saved it at once', async () => {
    await configure({ 'priority-change': 'flag' });
    expect(outcomes(await judge(priorityByStella('DEMO-3')))).toEqual(['priority-change flagged']);
    const settingsPage = app.container();
    await configure({ 'priority-change': 'block' }, settingsPage);
    // This container read the config a moment ago: it judges by it until the minute is over.
    expect(outcomes(await judge(priorityByStella('DEMO-4')))).toEqual(['priority-change flagged']);
    expect(outcomes(await judge(priorityByStella('DEMO-5'), FIRST, settingsPage))).toEqual(['priority-change reverted']);
    app.clock.advance((CONFIG_FRESH_SECONDS + 1) * 1000);
    expect(outcomes(await judge(priorityByStella('DEMO-6')))).toEqual(['priority-change reverted']);
  });

  it('judges nothing once the rule is off, and stops following the order the app no longer watches', async () => {
    await configure({ 'backlog-rank': 'flag' });
    app.ranks.seeded.add('DEMO');
    await configure({ 'backlog-rank': 'off', 'sprint-rank': 'off' });
    const id = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-6', { field: 'rank', anchor: { before: 'DEMO-3' } });
    expect(outcomes(await judge(app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-6', id, [CHANGE_ITEMS.rank()])))).toEqual([]);
    expect(app.ranks.seeded.has('DEMO')).toBe(false);
  });
});

describe('who acted', () => {
  it('never judges the app\'s own changes', async () => {
    await configure({ 'priority-change': 'block' });
    const id = app.jira.userChanges(APP_ACCOUNT, 'DEMO-3', { field: 'priority', to: '1' });
    expect(outcomes(await judge(app.jira.updateEvent(APP_ACCOUNT, 'DEMO-3', id, [CHANGE_ITEMS.priority('3', '1')])))).toEqual(['ignored: the app made this change']);
    expect(outcomes(await judge({ ...priorityByStella(), selfGenerated: true }))).toEqual(['ignored: the app made this change']);
    expect(app.log.all()).toEqual([]);
  });

  it('lets the Developers assign work to each other, and does not count unassigning as giving work away', async () => {
    await configure({ 'assign-others': 'block' });
    const unassign = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-3', { field: 'assignee', to: null });
    expect(outcomes(await judge(app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-3', unassign, [CHANGE_ITEMS.assignee(null, null)])))).toEqual([]);
    const byDeveloper = app.jira.userChanges(PEOPLE.dev1, 'DEMO-3', { field: 'assignee', to: PEOPLE.dev2 });
    expect(outcomes(await judge(app.jira.updateEvent(PEOPLE.dev1, 'DEMO-3', byDeveloper, [CHANGE_ITEMS.assignee(null, PEOPLE.dev2)])))).toEqual([]);
    const byStella = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-3', { field: 'assignee', to: PEOPLE.dev1 });
    expect(outcomes(await judge(app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-3', byStella, [CHANGE_ITEMS.assignee(PEOPLE.dev2, PEOPLE.dev1)])))).toEqual(['assign-others reverted']);
    expect(app.jira.items.get('DEMO-3')!.assigneeId).toBe(PEOPLE.dev2);
  });
});

describe('rank and sprint rules, which need the item as it is now', () => {
  it('moves a forbidden backlog move back beside its old neighbour, once', async () => {
    await configure({ 'backlog-rank': 'block' });
    // The Product Owner's move is allowed; the app learns the order from Jira there.
    await judge(app.jira.updateEvent(PEOPLE.po, 'DEMO-4', app.jira.userChanges(PEOPLE.po, 'DEMO-4', { field: 'rank', anchor: { after: 'DEMO-5' } }), [CHANGE_ITEMS.rank('lower')]));
    const before = app.jira.order();
    const id = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-7', { field: 'rank', anchor: { before: 'DEMO-3' } });
    const event = app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-7', id, [CHANGE_ITEMS.rank()]);
    expect(outcomes(await judge(event))).toEqual(['backlog-rank reverted']);
    app.cache.entries.clear();
    expect(outcomes(await judge(event))).toEqual(['backlog-rank flagged (again)']);
    expect(app.jira.count('rank')).toBe(1);
    expect(app.jira.order()).toEqual(before);
    expect(app.log.all().map((r) => r.outcome)).toEqual(['reverted']);
  });

  it('tells a sprint reorder from a backlog one by the sprints the item is in now', async () => {
    await configure({ 'backlog-rank': 'flag', 'sprint-rank': 'flag' });
    const id = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-2', { field: 'rank', anchor: { before: 'DEMO-1' } });
    expect(outcomes(await judge(app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-2', id, [CHANGE_ITEMS.rank()])))).toEqual(['sprint-rank flagged']);
    expect(app.log.all()).toEqual([expect.objectContaining({ rule: 'sprint-rank', sprintId: '1' })]);
  });

  it('takes an item added to the running sprint out again, and judges an item that left it already by where it is now', async () => {
    await configure({ 'sprint-scope-add': 'block' });
    const id = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-5', { field: 'sprint', add: { id: '1', state: 'active' } });
    expect(outcomes(await judge(app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-5', id, [CHANGE_ITEMS.sprint('', '1')])))).toEqual(['sprint-scope-add reverted']);
    expect(app.jira.items.get('DEMO-5')!.sprints).toEqual([]);
    const other = app.jira.userChanges(PEOPLE.stakeholder, 'DEMO-6', { field: 'sprint', add: { id: '1', state: 'active' } });
    app.jira.items.get('DEMO-6')!.sprints = [];
    expect(outcomes(await judge(app.jira.updateEvent(PEOPLE.stakeholder, 'DEMO-6', other, [CHANGE_ITEMS.sprint('', '1')])))).toEqual([]);
    expect(app.jira.count('moveToBacklog')).toBe(1);
  });
});

describe('sprint events', () => {
  it('name their project through the board, and compare a goal with the one remembered when the event does not say', async () => {
    await configure({ 'sprint-goal-change': 'flag', 'sprint-start-without-goal': 'flag' });
    expect(outcomes(await judge(sprintEvent('started', PEOPLE.sm, { goal: 'Customers can log in' })))).toEqual([]);
    expect(outcomes(await judge(sprintEvent('updated', PEOPLE.sm, { goal: 'Something else' })))).toEqual(['sprint-goal-change flagged']);
    expect(app.log.all()).toEqual([expect.objectContaining({ fromText: 'Customers can log in', toText: 'Something else', sprintId: '5' })]);
    expect(app.jira.count('boardProjectKey')).toBe(1);
    const unknownBoard = sprintEvent('started', PEOPLE.sm, { goal: '' });
    (unknownBoard['sprint'] as Record<string, unknown>)['originBoardId'] = 77;
    expect(outcomes(await judge(unknownBoard))).toEqual(['ignored: no project could be told from the event']);
  });
});
