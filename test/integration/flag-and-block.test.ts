/**
 * Each rule in flag and in block mode, through the real handlers on the sandbox: what is logged, what
 * is undone, and that Jira's contract held for every request the app made.
 */
import { appContractProblems, startHarness, type Harness } from './harness';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  expect(appContractProblems(h.sandbox)).toEqual([]);
  await h.close();
});

function byRule<T extends { rule: string }>(rows: T[], rule: string): T[] {
  return rows.filter((r) => r.rule === rule);
}

describe('backlog-rank', () => {
  it('flags a stakeholder reordering the backlog, and leaves the order alone', async () => {
    await h.saveConfig({ 'backlog-rank': 'flag' });
    const before = h.backlog();
    const [first, second] = before;
    await h.act('stella', { action: 'rank', issue: second!, before: first! });
    await h.settle();
    const rows = byRule(await h.violations(), 'backlog-rank');
    expect(rows).toEqual([expect.objectContaining({ rule: 'backlog-rank', mode: 'flag', outcome: 'flagged', actor: h.accountOf('stella'), issueKey: second, status: 'open' })]);
    expect(h.backlog().slice(0, 2)).toEqual([second, first]);
  });

  it('puts the item back next to its old neighbour in block mode, and logs the undo', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    const original = h.backlog();
    // The app learns the order from the first rank event it sees in the project (an allowed move).
    await h.act('olivia', { action: 'rank', issue: original[0]!, before: original[1]! });
    await h.settle();
    const order = h.backlog();
    await h.act('stella', { action: 'rank', issue: order[4]!, before: order[0]! });
    await h.settle();
    expect(h.backlog()).toEqual(order);
    const rows = byRule(await h.violations(), 'backlog-rank');
    expect(rows).toEqual([expect.objectContaining({ mode: 'block', outcome: 'reverted', issueKey: order[4], actor: h.accountOf('stella') })]);
    // The put-back was the app's own change: not judged again.
    expect((await h.violations()).length).toBe(1);
  });

  it('allows the Product Owner', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    const order = h.backlog();
    await h.act('olivia', { action: 'rank', issue: order[3]!, before: order[0]! });
    await h.settle();
    expect(await h.violations()).toEqual([]);
    expect(h.backlog()[0]).toBe(order[3]);
  });
});

/** A request to the local Jira as a demo person (for what `site.act` has no verb for). */
async function asPerson(name: string, method: string, path: string, body?: unknown): Promise<number> {
  const answer = await h.sandbox.site.handle({
    actor: { kind: 'user', accountId: h.accountOf(name) },
    method,
    path,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer.status;
}

function activeSprintItems(): string[] {
  return h.sandbox.site.boardView().sprints.find((s) => s.state === 'active')!.keys;
}

describe('sprint-rank', () => {
  it('flags a stakeholder reordering the sprint, and puts it back in block mode', async () => {
    await h.saveConfig({ 'sprint-rank': 'flag' });
    const items = activeSprintItems();
    await h.act('stella', { action: 'rank', issue: items[1]!, before: items[0]! });
    await h.settle();
    expect(byRule(await h.violations(), 'sprint-rank')).toEqual([expect.objectContaining({ mode: 'flag', outcome: 'flagged', issueKey: items[1], sprintId: '1' })]);

    await h.saveConfig({ 'sprint-rank': 'block' });
    const order = activeSprintItems();
    await h.act('dana', { action: 'rank', issue: order[1]!, before: order[0]! }); // a Developer: allowed, teaches the app the order
    await h.settle();
    const settled = activeSprintItems();
    await h.act('stella', { action: 'rank', issue: settled[2]!, before: settled[0]! });
    await h.settle();
    expect(activeSprintItems()).toEqual(settled);
    expect(byRule(await h.violations(), 'sprint-rank').map((r) => [r.issueKey, r.mode, r.outcome])).toEqual([
      [settled[2], 'block', 'reverted'],
      [items[1], 'flag', 'flagged'],
    ]);
  });
});

describe('status-change', () => {
  it('flags a transition by someone outside the Developers after the fact', async () => {
    await h.saveConfig({ 'status-change': 'flag' });
    await h.act('olivia', { action: 'transition', issue: 'DEMO-4', to: 'In Progress' });
    await h.settle();
    expect(byRule(await h.violations(), 'status-change')).toEqual([expect.objectContaining({ mode: 'flag', outcome: 'flagged', issueKey: 'DEMO-4', actor: h.accountOf('olivia') })]);
    expect(h.sandbox.site.issueState('DEMO-4').status).toBe('In Progress');
  });

  it('refuses it before it happens in block mode, with a message saying who may (no rule id), and lets Developers through', async () => {
    await h.saveConfig({ 'status-change': 'block' });
    const refused = await h.sandbox.site.act('stella', { action: 'transition', issue: 'DEMO-4', to: 'In Progress' });
    expect(refused).toEqual({ ok: false, status: expect.any(Number), message: expect.stringContaining('only the Developers may move work items to another status') });
    expect(refused.ok === false && refused.message).not.toMatch(/status-change/);
    expect(h.sandbox.site.issueState('DEMO-4').status).toBe('To Do');
    await h.act('dana', { action: 'transition', issue: 'DEMO-4', to: 'In Progress' });
    await h.settle();
    expect(h.sandbox.site.issueState('DEMO-4').status).toBe('In Progress');
    expect(byRule(await h.violations(), 'status-change')).toEqual([expect.objectContaining({ mode: 'block', outcome: 'refused', issueKey: 'DEMO-4', actor: h.accountOf('stella') })]);
  });
});

describe('field rules', () => {
  it('estimate-change: flagged, then restored in block mode', async () => {
    const before = h.sandbox.site.issueState('DEMO-12').estimate;
    await h.saveConfig({ 'estimate-change': 'flag' });
    await h.act('stella', { action: 'edit', issue: 'DEMO-12', fields: { customfield_10016: 13 } });
    await h.settle();
    expect(h.sandbox.site.issueState('DEMO-12').estimate).toBe(13);
    await h.saveConfig({ 'estimate-change': 'block' });
    await h.act('olivia', { action: 'edit', issue: 'DEMO-12', fields: { customfield_10016: 21 } });
    await h.settle();
    expect(h.sandbox.site.issueState('DEMO-12').estimate).toBe(13);
    expect(byRule(await h.violations(), 'estimate-change').map((r) => [r.mode, r.outcome, r.fromText, r.toText])).toEqual([
      ['block', 'reverted', '13', '21'],
      ['flag', 'flagged', before === null ? null : String(before), '13'],
    ]);
  });

  it('priority-change: the old priority is restored in block mode', async () => {
    await h.saveConfig({ 'priority-change': 'block' });
    const before = h.sandbox.site.issueState('DEMO-13').priority;
    await h.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Highest' } } });
    await h.settle();
    expect(h.sandbox.site.issueState('DEMO-13').priority).toBe(before);
    expect(byRule(await h.violations(), 'priority-change')).toEqual([expect.objectContaining({ mode: 'block', outcome: 'reverted', actor: h.accountOf('dana') })]);
  });

  it('assign-others: the previous assignee is restored in block mode; assigning oneself is fine', async () => {
    await h.saveConfig({ 'assign-others': 'block' });
    const before = h.sandbox.site.issueState('DEMO-14').assignee;
    await h.act('olivia', { action: 'edit', issue: 'DEMO-14', fields: { assignee: { accountId: h.accountOf('dana') } } });
    await h.settle();
    expect(h.sandbox.site.issueState('DEMO-14').assignee).toBe(before);
    await h.act('dana', { action: 'edit', issue: 'DEMO-14', fields: { assignee: { accountId: h.accountOf('dana') } } });
    await h.settle();
    expect(h.sandbox.site.issueState('DEMO-14').assignee).toBe(h.accountOf('dana'));
    expect(byRule(await h.violations(), 'assign-others')).toEqual([expect.objectContaining({ mode: 'block', outcome: 'reverted', actor: h.accountOf('olivia') })]);
  });
});

describe('creation rules (flag only)', () => {
  it('item-create and subtask-create flag people outside the allowed roles', async () => {
    await h.saveConfig({});
    await h.act('stella', { action: 'create', summary: 'An idea from a stakeholder', type: 'Story' });
    await h.act('olivia', { action: 'create', summary: 'A sub-task by the Product Owner', type: 'Subtask', parent: 'DEMO-4' });
    await h.act('dana', { action: 'create', summary: 'A sub-task by a Developer', type: 'Subtask', parent: 'DEMO-4' });
    await h.settle();
    const rows = await h.violations();
    expect(byRule(rows, 'item-create')).toEqual([expect.objectContaining({ mode: 'flag', outcome: 'flagged', actor: h.accountOf('stella') })]);
    expect(byRule(rows, 'subtask-create')).toEqual([expect.objectContaining({ mode: 'flag', outcome: 'flagged', actor: h.accountOf('olivia') })]);
  });
});

describe('sprint-scope-add', () => {
  it('takes an item added to the running sprint out again in block mode', async () => {
    await h.saveConfig({ 'sprint-scope-add': 'block' });
    const item = h.backlog()[0]!;
    await h.act('stella', { action: 'edit', issue: item, fields: { customfield_10020: 1 } });
    await h.settle();
    expect(h.sandbox.site.issueState(item).sprint).toBeNull();
    expect(byRule(await h.violations(), 'sprint-scope-add')).toEqual([expect.objectContaining({ mode: 'block', outcome: 'reverted', issueKey: item, sprintId: '1' })]);
  });
});

describe('sprint rules (flag only)', () => {
  it('sprint-cancel, sprint-start-without-goal and sprint-goal-change', async () => {
    await h.saveConfig({});
    await h.act('sam', { action: 'complete-sprint', sprint: 1 });
    await h.act('sam', { action: 'start-sprint', sprint: 2 });
    await h.settle();
    expect(await asPerson('sam', 'POST', '/rest/agile/1.0/sprint/2', { goal: 'Ship the checkout' })).toBe(200);
    await h.settle();
    expect(await asPerson('sam', 'POST', '/rest/agile/1.0/sprint/2', { goal: 'Ship something else' })).toBe(200);
    await h.settle();
    const rows = await h.violations();
    expect(byRule(rows, 'sprint-cancel')).toEqual([expect.objectContaining({ mode: 'flag', sprintId: '1', actor: h.accountOf('sam') })]);
    expect(byRule(rows, 'sprint-start-without-goal')).toEqual([expect.objectContaining({ sprintId: '2' })]);
    // Writing a goal where there was none is what the start-without-goal nudge asks for; changing it is not.
    expect(byRule(rows, 'sprint-goal-change').map((r) => [r.fromText, r.toText])).toEqual([['Ship the checkout', 'Ship something else']]);
  });

  it('sees the first goal edit of a sprint the app never saw before, from the event\'s oldValue', async () => {
    await h.saveConfig({});
    // A new installation: the app has never seen sprint 1 or its goal; only the event tells it.
    expect(await asPerson('olivia', 'POST', '/rest/agile/1.0/sprint/1', { goal: 'Customers can pay by card' })).toBe(200);
    await h.settle();
    // Changing only the dates: oldValue holds no goal, so the goal did not change.
    expect(await asPerson('sam', 'POST', '/rest/agile/1.0/sprint/1', { endDate: '2030-01-10T17:00:00.000+0100' })).toBe(200);
    await h.settle();
    const rows = byRule(await h.violations(), 'sprint-goal-change');
    expect(rows.map((r) => [r.actor, r.fromText, r.toText])).toEqual([[h.accountOf('olivia'), 'Customers can sign in and see their orders', 'Customers can pay by card']]);
  });
});
