/** The local Jira: behaviour, events, permissions, validators, faults and the contract. */
import { ContractViolation } from '../../sandbox/contract';
import { JiraSite, LOCALISED_FIELDS, PEOPLE, type Actor, type JiraResponse } from '../../sandbox/jira';

const FIXED_NOW = new Date('2026-11-16T09:00:00.000Z');

interface Recorded {
  eventType: string;
  payload: Record<string, any>;
  byApp: boolean;
}

function setup(options: ConstructorParameters<typeof JiraSite>[0] = {}) {
  let now = FIXED_NOW.getTime();
  const site = new JiraSite({ clock: () => new Date(now), ...options });
  const events: Recorded[] = [];
  site.onEvent((eventType, payload, meta) => events.push({ eventType, payload, byApp: meta.byApp }));
  const call = async (who: keyof typeof PEOPLE, method: string, path: string, body?: unknown): Promise<JiraResponse & { json: any }> => {
    const actor: Actor = who === 'app' ? { kind: 'app' } : { kind: 'user', accountId: PEOPLE[who].accountId };
    const response = await site.handle({ actor, method, path, headers: { accept: 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { ...response, json: response.body === '' ? undefined : JSON.parse(response.body) };
  };
  const tick = (ms: number): void => {
    now += ms;
  };
  return { site, events, call, tick };
}

describe('rank', () => {
  it('moves an item before another, emits the exact rank changelog and reorders the backlog', async () => {
    const { site, events, call } = setup();
    const before = site.backlogOrder();
    const [first, , third] = before as [string, string, string];
    const response = await call('stakeholder', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [third], rankBeforeIssue: first });
    expect(response.status).toBe(204);
    expect(site.backlogOrder().slice(0, 2)).toEqual([third, first]);
    expect(events).toHaveLength(1);
    const event = events[0] as Recorded;
    expect(event.eventType).toBe('avi:jira:updated:issue');
    expect(event.byApp).toBe(false);
    expect(event.payload['atlassianId']).toBe(PEOPLE.stakeholder.accountId);
    expect(event.payload['issue'].key).toBe(third);
    expect(event.payload['issue'].fields.issuetype).toMatchObject({ subtask: false, hierarchyLevel: 0 });
    expect(event.payload['issue'].fields.project).toMatchObject({ id: '10000', key: 'DEMO' });
    expect(event.payload['changelog'].items).toEqual([
      { field: 'Rank', fieldtype: 'custom', fieldId: 'customfield_10019', from: '', fromString: '', to: '', toString: 'Ranked higher' },
    ]);
    expect(typeof event.payload['changelog'].id).toBe('string');
    expect(site.contractViolations).toEqual([]);
  });

  it('says "Ranked lower" for a move down, and writes nothing for a move that changes no position', async () => {
    const { site, events, call } = setup();
    const [a, b, c] = site.backlogOrder() as [string, string, string];
    await call('po', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [a], rankAfterIssue: c });
    expect(site.backlogOrder().slice(0, 3)).toEqual([b, c, a]);
    expect(events.map((e) => e.payload['changelog'].items[0].toString)).toEqual(['Ranked lower']);
    await call('po', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [a], rankAfterIssue: c });
    expect(events).toHaveLength(1);
  });

  it('keeps the listed order of several items and answers 207 for the ones it cannot rank', async () => {
    const { site, call } = setup();
    const order = site.backlogOrder();
    const last = order.at(-1) as string;
    const secondLast = order.at(-2) as string;
    const response = await call('po', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [last, 'DEMO-999', secondLast], rankBeforeIssue: order[0] });
    expect(response.status).toBe(207);
    expect(response.json.entries).toEqual(expect.arrayContaining([expect.objectContaining({ issueKey: 'DEMO-999', status: 404 })]));
    expect(site.backlogOrder().slice(0, 2)).toEqual([last, secondLast]);
    expect(site.contractViolations).toEqual([]);
  });

  it('marks the app’s own moves as byApp', async () => {
    const { site, events, call } = setup();
    const [a, b] = site.backlogOrder() as [string, string];
    await call('app', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [b], rankBeforeIssue: a });
    expect(events[0]?.byApp).toBe(true);
    expect(events[0]?.payload['atlassianId']).toBe(PEOPLE.app.accountId);
  });

  it('names the rank field as the site does, found by id, on a localised site', async () => {
    const { site, events, call } = setup({ fields: LOCALISED_FIELDS });
    const fields = (await call('po', 'GET', '/rest/api/3/field')).json as { id: string; name: string; schema: { custom?: string } }[];
    const rank = fields.find((f) => f.schema.custom === 'com.pyxis.greenhopper.jira:gh-lexo-rank');
    expect(rank).toMatchObject({ id: 'customfield_10119', name: 'Classement' });
    expect(fields.find((f) => f.schema.custom === 'com.pyxis.greenhopper.jira:jsw-story-points')).toMatchObject({ name: "Points d'histoire" });
    const config = (await call('po', 'GET', '/rest/agile/1.0/board/1/configuration')).json;
    expect(config.ranking).toEqual({ rankCustomFieldId: 10119 });
    expect(config.estimation.field).toEqual({ fieldId: 'customfield_10116', displayName: "Points d'histoire" });
    const [a, b] = site.backlogOrder() as [string, string];
    await call('po', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [b], rankBeforeIssue: a });
    expect(events[0]?.payload['changelog'].items[0]).toMatchObject({ field: 'Classement', fieldId: 'customfield_10119', toString: 'Ranked higher' });
    expect(site.contractViolations).toEqual([]);
  });
});

describe('transitions and the workflow validator', () => {
  it('asks the validator first; a refusal answers 400 with its message and changes nothing', async () => {
    const { site, events, call } = setup();
    const seen: unknown[] = [];
    site.setTransitionValidator(async (args) => {
      seen.push(args);
      return { allowed: false, message: 'Scrum Role Guard: status changes are for the Developers. See the panel for why.' };
    });
    const before = site.issueState('DEMO-4');
    const transitions = (await call('stakeholder', 'GET', '/rest/api/3/issue/DEMO-4/transitions')).json.transitions as { id: string; to: { name: string } }[];
    const toInProgress = transitions.find((t) => t.to.name === 'In Progress');
    expect(toInProgress).toBeDefined();
    const response = await call('stakeholder', 'POST', '/rest/api/3/issue/DEMO-4/transitions', { transition: { id: toInProgress?.id } });
    expect(response.status).toBe(400);
    expect(response.json.errorMessages).toEqual(['Scrum Role Guard: status changes are for the Developers. See the panel for why.']);
    expect(seen).toEqual([{ issueKey: 'DEMO-4', issueId: before.id, fromStatusId: '10000', toStatusId: '3', transitionId: toInProgress?.id, accountId: PEOPLE.stakeholder.accountId }]);
    expect(site.issueState('DEMO-4')).toEqual(before);
    expect(events).toEqual([]);
    expect(site.contractViolations).toEqual([]);
  });

  it('applies an allowed transition with status (and resolution) items in one changelog', async () => {
    const { site, events } = setup();
    site.setTransitionValidator(async () => ({ allowed: true }));
    const result = await site.act('dana', { action: 'transition', issue: 'DEMO-1', to: 'Done' });
    expect(result).toMatchObject({ ok: true, issue: { status: 'Done', statusCategory: 'done' } });
    expect(events).toHaveLength(1);
    expect(events[0]?.payload['changelog'].items).toEqual([
      { field: 'status', fieldtype: 'jira', fieldId: 'status', from: '3', fromString: 'In Progress', to: '10001', toString: 'Done' },
      { field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: null, fromString: null, to: '10000', toString: 'Done' },
    ]);
    expect(events[0]?.payload['issue'].fields.status).toMatchObject({ id: '10001', name: 'Done' });
  });

  it('refuses a transition id the item does not offer', async () => {
    const { call } = setup();
    const response = await call('dev1', 'POST', '/rest/api/3/issue/DEMO-1/transitions', { transition: { id: '21' } });
    expect(response.status).toBe(400);
    expect(response.json.errorMessages[0]).toContain("Transition id '21' is not valid");
  });
});

describe('edits', () => {
  it('puts every changed field into one changelog, with Jira’s item shapes', async () => {
    const { site, events, call, tick } = setup();
    tick(60_000);
    const response = await call('sm', 'PUT', '/rest/api/3/issue/DEMO-12', {
      fields: { priority: { name: 'High' }, customfield_10016: 5, assignee: { accountId: PEOPLE.dev3.accountId }, customfield_10020: 1 },
    });
    expect(response.status).toBe(204);
    expect(events).toHaveLength(1);
    const items = events[0]?.payload['changelog'].items as Record<string, unknown>[];
    expect(items).toEqual(
      expect.arrayContaining([
        { field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: '3', fromString: 'Medium', to: '2', toString: 'High' },
        { field: 'Story point estimate', fieldtype: 'custom', fieldId: 'customfield_10016', from: null, fromString: '3', to: null, toString: '5' },
        { field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: null, fromString: null, to: PEOPLE.dev3.accountId, toString: 'Ravi Shah' },
        { field: 'Sprint', fieldtype: 'custom', fieldId: 'customfield_10020', from: null, fromString: null, to: '1', toString: 'DEMO Sprint 1' },
      ]),
    );
    expect(items).toHaveLength(4);
    const state = site.issueState('DEMO-12');
    expect(state).toMatchObject({ priority: 'High', estimate: 5, assignee: PEOPLE.dev3.accountId, sprint: { id: 1, state: 'active' }, backlogPosition: null });
    expect(state.updated).toBe('2026-11-16T09:01:00.000+0000');
    const changelog = (await call('po', 'GET', '/rest/api/3/issue/DEMO-12/changelog')).json;
    expect(changelog.values.at(-1).items).toHaveLength(4);
    expect(site.contractViolations).toEqual([]);
  });

  it('refuses unknown or unsettable fields with Jira’s per-field errors and changes nothing', async () => {
    const { site, events, call } = setup();
    const before = site.issueState('DEMO-12');
    const response = await call('po', 'PUT', '/rest/api/3/issue/DEMO-12', { fields: { summary: 'ok', customfield_10019: '0|a:', nonsense: 1 } });
    expect(response.status).toBe(400);
    expect(Object.keys(response.json.errors).sort()).toEqual(['customfield_10019', 'nonsense']);
    expect(site.issueState('DEMO-12')).toEqual(before);
    expect(events).toEqual([]);
  });

  it('creates a sub-task in its parent’s sprint and emits the created event', async () => {
    const { site, events } = setup();
    const result = await site.act('theo', { action: 'create', summary: 'Write the migration', type: 'Subtask', parent: 'DEMO-4' });
    expect(result.ok).toBe(true);
    const key = result.ok ? result.issue?.key : undefined;
    expect(site.issueState(key as string)).toMatchObject({ subtask: true, parent: 'DEMO-4', sprint: { id: 1 }, status: 'To Do' });
    expect(events[0]).toMatchObject({ eventType: 'avi:jira:created:issue', payload: { atlassianId: PEOPLE.dev2.accountId, issue: { key, fields: { issuetype: { subtask: true } } } } });
  });

  it('keeps issue and project properties', async () => {
    const { call } = setup();
    expect((await call('app', 'PUT', '/rest/api/3/issue/DEMO-1/properties/srg-verdicts', { open: 2 })).status).toBe(201);
    expect((await call('app', 'PUT', '/rest/api/3/issue/DEMO-1/properties/srg-verdicts', { open: 3 })).status).toBe(200);
    expect((await call('po', 'GET', '/rest/api/3/issue/DEMO-1?fields=summary&properties=srg-verdicts')).json.properties).toEqual({ 'srg-verdicts': { open: 3 } });
    expect((await call('dev1', 'PUT', '/rest/api/3/project/DEMO/properties/srg-roles', { v: 1 })).status).toBe(403);
    expect((await call('sm', 'PUT', '/rest/api/3/project/DEMO/properties/srg-roles', { v: 1 })).status).toBe(201);
    expect((await call('dev1', 'GET', '/rest/api/3/project/DEMO/properties/srg-roles')).json).toEqual({ key: 'srg-roles', value: { v: 1 } });
    expect((await call('app', 'DELETE', '/rest/api/3/project/DEMO/properties/srg-roles')).status).toBe(204);
    expect((await call('app', 'GET', '/rest/api/3/project/DEMO/properties/srg-roles')).status).toBe(404);
  });
});

describe('permissions', () => {
  it('hides the project from someone outside it', async () => {
    const { site, call } = setup();
    expect((await call('outsider', 'GET', '/rest/api/3/issue/DEMO-1')).status).toBe(404);
    expect((await call('outsider', 'GET', '/rest/api/3/project/DEMO')).status).toBe(404);
    expect((await call('outsider', 'GET', '/rest/agile/1.0/board/1/configuration')).status).toBe(404);
    expect((await call('outsider', 'PUT', '/rest/api/3/issue/DEMO-1', { fields: { summary: 'x' } })).status).toBe(404);
    expect((await call('outsider', 'GET', '/rest/api/3/mypermissions?projectKey=DEMO&permissions=BROWSE_PROJECTS')).status).toBe(404);
    const search = await call('outsider', 'POST', '/rest/api/3/search/jql', { jql: 'sprint in openSprints()' });
    expect(search.json.issues).toEqual([]);
    const mine = await call('outsider', 'GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,ADMINISTER');
    expect(mine.json.permissions.BROWSE_PROJECTS.havePermission).toBe(false);
    expect(site.contractViolations).toEqual([]);
  });

  it('keeps sprints for the team, project roles for admins, and notifyUsers=false for admins', async () => {
    const { call } = setup();
    expect((await call('stakeholder', 'POST', '/rest/agile/1.0/sprint/1', { goal: 'new' })).status).toBe(403);
    expect((await call('dev1', 'GET', '/rest/api/3/project/DEMO/role/10001')).status).toBe(404);
    const role = await call('app', 'GET', '/rest/api/3/project/DEMO/role/10001');
    expect(role.json.actors.map((a: { type: string }) => a.type)).toContain('atlassian-group-role-actor');
    expect((await call('dev1', 'PUT', '/rest/api/3/issue/DEMO-1?notifyUsers=false', { fields: { summary: 'x' } })).status).toBe(403);
    expect((await call('app', 'PUT', '/rest/api/3/issue/DEMO-1?notifyUsers=false', { fields: { summary: 'x' } })).status).toBe(204);
    const admin = await call('admin', 'GET', '/rest/api/3/mypermissions?projectKey=DEMO&permissions=ADMINISTER,ADMINISTER_PROJECTS,EDIT_ISSUES');
    expect(Object.fromEntries(Object.entries(admin.json.permissions).map(([k, v]) => [k, (v as { havePermission: boolean }).havePermission]))).toEqual({
      ADMINISTER: true, ADMINISTER_PROJECTS: true, EDIT_ISSUES: true,
    });
  });

  it('tells who is who through users, groups and roles', async () => {
    const { site, call } = setup();
    const groups = (await call('app', 'GET', `/rest/api/3/user/groups?accountId=${PEOPLE.dev1.accountId}`)).json as { name: string }[];
    expect(groups.map((g) => g.name).sort()).toEqual(['demo-developers', 'jira-software-users']);
    const users = site.users();
    expect(users.find((u) => u.handle === 'stella')).toMatchObject({ demoRole: 'stakeholder', projectRoles: ['Users'] });
    expect(users.find((u) => u.handle === 'oscar')?.projectRoles).toEqual([]);
    expect(users.find((u) => u.handle === 'app')).toMatchObject({ accountType: 'app' });
  });
});

describe('sprints', () => {
  it('runs the lifecycle and emits updated, closed and started sprint events', async () => {
    const { site, events, call } = setup();
    expect((await call('po', 'POST', '/rest/agile/1.0/sprint/2', { state: 'active' })).status).toBe(400);
    expect((await call('sm', 'POST', '/rest/agile/1.0/sprint/1', { goal: 'A different goal' })).status).toBe(200);
    const complete = await site.act('olivia', { action: 'complete-sprint', sprint: 1, moveOpenItemsTo: 2 });
    expect(complete).toMatchObject({ ok: true, sprint: { state: 'closed', completeDate: '2026-11-16T09:00:00.000+0000' } });
    const start = await site.act('dana', { action: 'start-sprint', sprint: 'DEMO Sprint 2', goal: 'Customers can reorder' });
    expect(start).toMatchObject({ ok: true, sprint: { state: 'active', goal: 'Customers can reorder' } });

    const sprintEvents = events.filter((e) => e.eventType.startsWith('avi:jira-software:'));
    expect(sprintEvents.map((e) => e.eventType)).toEqual(['avi:jira-software:updated:sprint', 'avi:jira-software:closed:sprint', 'avi:jira-software:started:sprint']);
    // An update carries the changed fields' values from before the change, and only those.
    expect(sprintEvents[0]?.payload['oldValue']).toEqual({ goal: 'Customers can sign in and see their orders' });
    expect(sprintEvents[1]?.payload['oldValue']).toBeUndefined();
    expect(sprintEvents[1]?.payload['sprint']).toEqual({
      id: 1,
      self: 'https://demo.atlassian.net/rest/agile/1.0/sprint/1',
      state: 'closed',
      name: 'DEMO Sprint 1',
      startDate: '2026-11-11T09:00:00.000+0000',
      endDate: '2026-11-25T09:00:00.000+0000',
      completeDate: '2026-11-16T09:00:00.000+0000',
      createdDate: '2026-11-04T09:00:00.000+0000',
      originBoardId: 1,
      goal: 'A different goal',
    });
    expect(sprintEvents[1]?.payload['atlassianId']).toBe(PEOPLE.po.accountId);
    // The open items moved on to sprint 2, keeping sprint 1 in their history.
    const moved = events.filter((e) => e.eventType === 'avi:jira:updated:issue').map((e) => e.payload['changelog'].items[0]);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved[0]).toMatchObject({ fieldId: 'customfield_10020', from: '1', to: '1, 2', toString: 'DEMO Sprint 1, DEMO Sprint 2' });
    expect(site.issueState('DEMO-4').sprint).toEqual({ id: 2, name: 'DEMO Sprint 2', state: 'active' });
    expect(site.issueState('DEMO-6').sprint).toBeNull();
    expect(site.contractViolations).toEqual([]);
  });

  it('moves items between a sprint and the backlog', async () => {
    const { site, call } = setup();
    const key = site.backlogOrder()[0] as string;
    expect((await call('dev2', 'POST', '/rest/agile/1.0/sprint/1/issue', { issues: [key] })).status).toBe(204);
    expect(site.issueState(key).sprint?.id).toBe(1);
    expect(site.backlogOrder()).not.toContain(key);
    expect((await call('dev2', 'POST', '/rest/agile/1.0/backlog/issue', { issues: [key] })).status).toBe(204);
    expect(site.backlogOrder()).toContain(key);
    expect((await call('dev2', 'POST', '/rest/agile/1.0/sprint/1/issue', { issues: ['DEMO-2'] })).status).toBe(400);
  });
});

describe('fault injection', () => {
  it('answers the next matching requests with the fault, before applying them', async () => {
    const { site, events, call } = setup();
    const fault = site.faults.add({ method: 'PUT', pathPattern: /\/issue\/rank$/, status: 429, retryAfterSeconds: 3, times: 2 });
    const [a, b] = site.backlogOrder() as [string, string];
    const first = await call('po', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [b], rankBeforeIssue: a });
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('3');
    expect((await call('po', 'GET', '/rest/api/3/issue/DEMO-1?fields=summary')).status).toBe(200);
    expect((await call('po', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [b], rankBeforeIssue: a })).status).toBe(429);
    expect(site.backlogOrder().slice(0, 2)).toEqual([a, b]);
    expect(events).toEqual([]);
    expect(fault.hits).toBe(2);
    expect((await call('po', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [b], rankBeforeIssue: a })).status).toBe(204);
    site.faults.add({ status: 503, times: 1, delayMs: 20 });
    const started = Date.now();
    expect((await call('app', 'GET', '/rest/api/3/myself')).status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    site.faults.add({ status: 500, times: 5 });
    site.faults.clear();
    expect((await call('app', 'GET', '/rest/api/3/myself')).status).toBe(200);
    expect(() => site.faults.add({ status: 404 as 429, times: 1 })).toThrow(/status: expected the status 429, 500 or 503/);
  });
});

describe('the contract', () => {
  it('refuses and records a request the description forbids', async () => {
    const { site, events, call } = setup();
    const [a, b] = site.backlogOrder() as [string, string];
    const response = await call('po', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [b], rankBeforeIssue: a, position: 'top' });
    expect(response.status).toBe(400);
    expect(site.contractViolations).toHaveLength(1);
    expect(site.contractViolations[0]).toMatchObject({ direction: 'request', method: 'PUT', path: '/rest/agile/1.0/issue/rank' });
    expect(site.backlogOrder().slice(0, 2)).toEqual([a, b]);
    expect(events).toEqual([]);
    expect((await call('po', 'GET', '/rest/api/3/issue/DEMO-1/comment')).status).toBe(400);
    expect(site.contractViolations).toHaveLength(2);
  });

  it('throws a ContractViolation in strict mode', async () => {
    const site = new JiraSite({ strict: true });
    await expect(
      site.handle({ actor: { kind: 'app' }, method: 'GET', path: '/rest/api/3/issue/DEMO-1/changelog?maxResults=lots', headers: {}, body: undefined }),
    ).rejects.toBeInstanceOf(ContractViolation);
  });

  it('answers 404 in Jira’s shape for an operation it does not implement when nothing checks the contract', async () => {
    const site = new JiraSite({ contract: null });
    const response = await site.handle({ actor: { kind: 'app' }, method: 'GET', path: '/rest/api/3/serverInfo', headers: {}, body: undefined });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ errorMessages: [expect.any(String)], errors: {} });
  });
});

describe('history and search', () => {
  it('pages the changelog, oldest first, with the authors who made each change', async () => {
    const { call } = setup();
    const first = (await call('po', 'GET', '/rest/api/3/issue/DEMO-1/changelog?maxResults=2')).json;
    expect(first).toMatchObject({ startAt: 0, maxResults: 2, total: 4, isLast: false });
    expect(first.nextPage).toContain('startAt=2');
    const rest = (await call('po', 'GET', '/rest/api/3/issue/DEMO-1/changelog?startAt=2&maxResults=2')).json;
    expect(rest).toMatchObject({ startAt: 2, isLast: true });
    const authors = [...first.values, ...rest.values].map((h: { author: { displayName: string } }) => h.author.displayName);
    expect(authors).toEqual(['Olivia Owen', 'Olivia Owen', 'Olivia Owen', 'Dana Kim']);
    expect(rest.values[1].items[0]).toEqual({ field: 'status', fieldtype: 'jira', fieldId: 'status', from: '10000', fromString: 'To Do', to: '3', toString: 'In Progress' });
  });

  it('answers the supported JQL by the site clock and refuses the rest', async () => {
    const { call, tick, site } = setup();
    tick(3 * 86_400_000);
    await site.act('theo', { action: 'edit', issue: 'DEMO-13', fields: { estimate: 8 } });
    const recent = (await call('po', 'POST', '/rest/api/3/search/jql', { jql: 'project = DEMO AND updated >= -1d', fields: ['summary'] })).json;
    expect(recent.issues.map((i: { key: string }) => i.key)).toEqual(['DEMO-13']);
    const bare = (await call('po', 'POST', '/rest/api/3/search/jql', { jql: 'key = DEMO-13' })).json;
    expect(bare.issues[0].fields).toEqual({});
    expect((await call('po', 'POST', '/rest/api/3/search/jql', { jql: 'summary ~ "login"' })).status).toBe(400);
    expect((await call('po', 'POST', '/rest/api/3/search/jql', { jql: 'ORDER BY Rank' })).status).toBe(400);
    const ordered = (await call('po', 'POST', '/rest/api/3/search/jql', { jql: 'project = DEMO AND sprint in openSprints() AND issuetype != Subtask ORDER BY Rank' })).json;
    expect(ordered.issues.map((i: { key: string }) => i.key)).toEqual(site.boardView().sprints.flatMap((s) => s.keys));
  });
});
