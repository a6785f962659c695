/**
 * Role health matches Jira: the figures of `GET /sandbox/api/projects/DEMO/role-health` for every closed
 * sprint equal a count made here by hand from the local Jira's REST API (as a script would read it),
 * with plain loops and none of the app's classifier or role resolution. Then the resolvers' permissions
 * and role suggestions on the demo.
 */
import { demoRoleConfig, PEOPLE } from '../../sandbox/jira';
import { RESOLVER_KEYS as K } from '../../src/shared/resolver-api';
import { cliBed, type CliBed } from '../cli/support';

let bed: CliBed;
beforeAll(async () => {
  bed = await cliBed();
  await bed.saveConfig(demoRoleConfig(bed.sandbox.site.fieldIds));
});
afterAll(async () => {
  await bed?.close();
});

async function get(path: string): Promise<any> {
  const { JIRA_EMAIL, JIRA_API_TOKEN } = bed.credentials;
  const response = await fetch(`${bed.server.url}${path}`, { headers: { authorization: `Basic ${Buffer.from(`${JIRA_EMAIL}:${JIRA_API_TOKEN}`).toString('base64')}`, accept: 'application/json' } });
  expect(response.status).toBe(200);
  return response.json();
}

const ACCOUNTABILITIES = ['backlog-order', 'status-update', 'estimate', 'assign', 'create-item', 'create-subtask', 'sprint-scope'];
const BUCKETS = ['productOwner', 'scrumMaster', 'developers', 'stakeholders', 'outside'];

/** Each demo person holds one role in the demo's role map; anyone else is outside the team. */
function bucketOf(accountId: string): string {
  if (accountId === PEOPLE.po.accountId) return 'productOwner';
  if (accountId === PEOPLE.sm.accountId) return 'scrumMaster';
  if ([PEOPLE.dev1, PEOPLE.dev2, PEOPLE.dev3].some((p) => p.accountId === accountId)) return 'developers';
  if (accountId === PEOPLE.stakeholder.accountId) return 'stakeholders';
  return 'outside';
}

const ids = (value: string | null): string[] => (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

describe('role health', () => {
  it('matches a count made by hand from the local Jira’s changelog, for every closed sprint', async () => {
    const fields = bed.sandbox.site.fieldIds;
    const sprints: any[] = (await get('/rest/agile/1.0/board/1/sprint?maxResults=50')).values.filter((s: any) => s.state !== 'future');
    const search = await get(`/rest/api/3/search/jql?jql=${encodeURIComponent('project = DEMO ORDER BY key ASC')}&maxResults=100&fields=issuetype,created,creator,${fields.sprint}`);
    expect(search.isLast ?? true).toBe(true);

    const counts = new Map<string, Record<string, Record<string, number>>>();
    for (const s of sprints) counts.set(String(s.id), Object.fromEntries(ACCOUNTABILITIES.map((a) => [a, Object.fromEntries(BUCKETS.map((b) => [b, 0]))])));
    const now = Date.now();
    const windowOf = (at: number): string | null => {
      for (const s of sprints) {
        const start = Date.parse(s.startDate);
        const end = s.completeDate ? Date.parse(s.completeDate) : now;
        if (at >= start && at <= end) return String(s.id);
      }
      return null;
    };
    const activeAt = (sprintId: string, at: number): boolean => {
      const s = sprints.find((x) => String(x.id) === sprintId);
      return s !== undefined && Date.parse(s.startDate) <= at && (!s.completeDate || Date.parse(s.completeDate) > at);
    };
    const count = (at: number, accountId: string, accountability: string): void => {
      const sprint = windowOf(at);
      if (sprint !== null) counts.get(sprint)![accountability]![bucketOf(accountId)]!++;
    };

    for (const issue of search.issues) {
      const histories: any[] = [];
      for (let startAt = 0; ; startAt += 100) {
        const page = await get(`/rest/api/3/issue/${issue.key}/changelog?startAt=${startAt}&maxResults=100`);
        histories.push(...page.values);
        if (page.isLast) break;
      }
      histories.sort((a, b) => Date.parse(a.created) - Date.parse(b.created) || Number(a.id) - Number(b.id));
      // The sprints the item was in just after each entry, walking back from today's.
      let members = (issue.fields[fields.sprint] ?? []).map((s: any) => String(s.id));
      const after: string[][] = [];
      for (let i = histories.length - 1; i >= 0; i--) {
        after[i] = members;
        const sprintItem = histories[i].items.find((item: any) => item.fieldId === fields.sprint);
        if (sprintItem) members = ids(sprintItem.from);
      }
      count(Date.parse(issue.fields.created), issue.fields.creator.accountId, issue.fields.issuetype.subtask ? 'create-subtask' : 'create-item');
      histories.forEach((entry, i) => {
        const at = Date.parse(entry.created);
        const seen = new Set<string>();
        for (const item of entry.items) {
          if (item.fieldId === 'status') seen.add('status-update');
          if (item.fieldId === fields.estimate) seen.add('estimate');
          if (item.fieldId === 'assignee') seen.add('assign');
          if (item.fieldId === fields.sprint && ids(item.from).sort().join() !== ids(item.to).sort().join()) seen.add('sprint-scope');
          if (item.fieldId === fields.rank && !after[i]!.some((id) => activeAt(id, at))) seen.add('backlog-order');
        }
        for (const accountability of seen) count(at, entry.author.accountId, accountability);
      });
    }

    const response = await fetch(`${bed.server.url}/sandbox/api/projects/DEMO/role-health?sprints=6`);
    expect(response.status).toBe(200);
    const route = (await response.json()) as { sprints: { id: number; name: string; state: string; actions: Record<string, Record<string, number>> }[] };
    const closed = route.sprints.filter((s) => s.state === 'closed');
    expect(closed.map((s) => s.name)).toEqual(['DEMO Sprint A', 'DEMO Sprint B', 'DEMO Sprint C']);
    expect(route.sprints.at(-1)).toMatchObject({ id: 1, state: 'active' });
    for (const sprint of closed) {
      expect(typeof sprint.id).toBe('number');
      expect({ sprint: sprint.name, actions: sprint.actions }).toEqual({ sprint: sprint.name, actions: counts.get(String(sprint.id)) });
    }
    // The drift the demo was given shows: the Product Owner estimating in A, the Scrum Master moving items in B.
    const [a, b] = closed;
    expect(a!.actions['estimate']!['productOwner']).toBeGreaterThanOrEqual(3);
    expect(b!.actions['status-update']!['scrumMaster']).toBeGreaterThanOrEqual(4);
    expect(b!.actions['backlog-order']!['stakeholders']).toBe(1);
    expect(bed.sandbox.site.contractViolations).toEqual([]);
  });

  it('answers the Scrum Master, the Product Owner and admins, with reasons, clerical work and a drill-down', async () => {
    const answer = await bed.call('violationLog', K.roleHealth, { sprints: 6 }, 'sm');
    expect(answer).toMatchObject({ ok: true, state: 'ready' });
    const b = answer.sprints.find((s: { name: string }) => s.name === 'DEMO Sprint B');
    expect(b.clerical.count).toBeGreaterThanOrEqual(8);
    const moved = b.offRole.find((c: { accountability: string; bucket: string }) => c.accountability === 'status-update' && c.bucket === 'scrumMaster');
    expect(moved.reason).toMatch(/Scrum Master.*Developers/s);
    const changes = await bed.call('violationLog', K.roleHealthChanges, { sprintId: b.id, accountability: 'status-update', bucket: 'scrumMaster' }, 'po');
    expect(changes).toMatchObject({ ok: true, next: null });
    expect(changes.changes.length).toBe(moved.count);
    expect(changes.changes[0]).toMatchObject({ actor: PEOPLE.sm.accountId, summary: expect.stringMatching(/^Status: .+ → .+/) });
    expect(answer.people.map((p: { displayName: string }) => p.displayName)).toContain('Sam Rivera');
    for (const who of ['po', 'admin'] as const) expect(await bed.call('violationLog', K.roleHealth, {}, who)).toMatchObject({ ok: true });
    for (const who of ['dev1', 'stakeholder'] as const) {
      expect(await bed.call('violationLog', K.roleHealth, {}, who)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/Scrum Master/) } });
      expect(await bed.call('violationLog', K.roleHealthChanges, { sprintId: b.id, accountability: 'assign', bucket: 'scrumMaster' }, who)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await bed.call('violationLog', K.roleHealth, {}, 'outsider')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('gives everyone who can browse the project the charter, as Markdown too', async () => {
    const charter = await bed.call('violationLog', K.getRoleCharter, {}, 'dev1');
    expect(charter).toMatchObject({ ok: true, projectKey: 'DEMO' });
    const po = charter.accountabilities.find((a: { role: string }) => a.role === 'productOwner');
    expect(po.holders).toEqual(['Olivia Owen']);
    expect(charter.talkTo.find((t: { rule: string }) => t.rule === 'backlog-rank').who).toBe('the Product Owner (Olivia Owen)');
    expect(charter.markdown).toMatch(/^# Role charter: DEMO/);
  });

  it('suggests Olivia as Product Owner and the Developers from the history, and saves nothing', async () => {
    const before = await bed.call('settings', K.getProjectSettings, {}, 'admin');
    let answer = await bed.call('settings', K.suggestRoles, { days: 90 }, 'admin');
    for (let i = 0; i < 20 && answer.state === 'computing'; i++) {
      await bed.sandbox.host.settle();
      answer = await bed.call('settings', K.suggestRoles, { days: 90 }, 'admin');
    }
    expect(answer).toMatchObject({ ok: true, state: 'ready', days: 90 });
    const of = (role: string) => answer.suggestions.find((s: { role: string }) => s.role === role);
    expect(of('productOwner').accountIds).toEqual([PEOPLE.po.accountId]);
    expect(of('productOwner').reasons[0].why).toMatch(/ordered the backlog \d+ times of \d+ \(\d+%\)/);
    expect([...of('developers').accountIds].sort()).toEqual(expect.arrayContaining([PEOPLE.dev1.accountId, PEOPLE.dev2.accountId, PEOPLE.dev3.accountId].sort()));
    expect(of('developers').accountIds).not.toContain(PEOPLE.po.accountId);
    // Sam, the Scrum Master, moved the Developers' items in one sprint: still not a Developer.
    expect(of('developers').accountIds).not.toContain(PEOPLE.sm.accountId);
    expect(of('developers').reasons.map((r: { why: string }) => r.why)).toContainEqual(expect.stringMatching(/^Today’s Scrum Master also made \d+ changes/));
    expect(of('scrumMaster').accountIds).toEqual([]);
    expect(of('stakeholders').accountIds).toContain(PEOPLE.stakeholder.accountId);
    const after = await bed.call('settings', K.getProjectSettings, {}, 'admin');
    expect(after.revision).toBe(before.revision);
    expect(after.document).toEqual(before.document);
    expect(await bed.call('settings', K.suggestRoles, {}, 'dev1')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
