/**
 * A scripted session over every operation the local Jira implements, as people and as the app,
 * including refusals: no request of the script and no answer of the site may break Atlassian's
 * description, and every implemented operation must have been exercised with a success.
 */
import { JiraSite, PEOPLE, implementedOperations, type Actor } from '../../sandbox/jira';
import { matchRoute } from '../../sandbox/jira/routes';

type Who = keyof typeof PEOPLE;

const enc = encodeURIComponent;

// [who, method, path, body?]
const SESSION: [Who, string, string, unknown?][] = [
  ['po', 'GET', '/rest/api/3/myself?expand=groups,applicationRoles'],
  ['app', 'GET', '/rest/api/3/myself'],
  ['po', 'GET', '/rest/api/3/field'],
  ['po', 'GET', '/rest/api/3/priority'],
  ['po', 'GET', '/rest/api/3/priority/search?priorityName=high'],
  ['po', 'GET', '/rest/api/3/status'],
  ['po', 'GET', '/rest/api/3/statuses?id=10000,3'],
  ['po', 'GET', '/rest/api/3/project/DEMO?properties=srg-roles'],
  ['po', 'GET', '/rest/api/3/project/DEMO/statuses'],
  ['app', 'GET', '/rest/api/3/project/DEMO/role'],
  ['app', 'GET', '/rest/api/3/project/10000/role/10002'],
  ['app', 'GET', '/rest/api/3/project/DEMO/role/10000?excludeInactiveUsers=true'],
  ['dev1', 'GET', '/rest/api/3/project/DEMO/role/10001'],
  ['app', 'GET', `/rest/api/3/user?accountId=${enc(PEOPLE.dev1.accountId)}&expand=groups`],
  ['app', 'GET', `/rest/api/3/user?accountId=${enc('712020:nobody')}`],
  ['app', 'GET', `/rest/api/3/user/bulk?accountId=${enc(PEOPLE.po.accountId)}&accountId=${enc(PEOPLE.app.accountId)}&maxResults=1`],
  ['app', 'GET', `/rest/api/3/user/groups?accountId=${enc(PEOPLE.stakeholder.accountId)}`],
  ['po', 'GET', '/rest/api/3/user/search?query=theo'],
  ['po', 'GET', '/rest/api/3/groups/picker?query=demo&maxResults=2'],
  ['app', 'GET', `/rest/api/3/groups/picker?accountId=${enc(PEOPLE.dev2.accountId)}`],
  ['app', 'GET', '/rest/api/3/group/member?groupname=demo-developers&maxResults=2'],
  ['app', 'GET', '/rest/api/3/group/member?groupId=0b3c1f0e-5a8f-4a43-9d0e-1a2b3c4d5e05'],
  ['po', 'GET', '/rest/api/3/mypermissions?projectKey=DEMO&permissions=BROWSE_PROJECTS,EDIT_ISSUES,SCHEDULE_ISSUES,ADMINISTER_PROJECTS'],
  ['dev1', 'GET', '/rest/api/3/mypermissions?issueKey=DEMO-1&permissions=TRANSITION_ISSUES'],
  ['po', 'GET', '/rest/api/3/mypermissions?permissions=NOT_A_PERMISSION'],
  ['app', 'POST', '/rest/api/3/permissions/check', { accountId: PEOPLE.stakeholder.accountId, globalPermissions: ['ADMINISTER'], projectPermissions: [{ permissions: ['EDIT_ISSUES', 'SCHEDULE_ISSUES'], projects: [10000], issues: [10001] }] }],
  ['dev1', 'POST', '/rest/api/3/permissions/check', { accountId: PEOPLE.po.accountId, globalPermissions: ['ADMINISTER'] }],
  ['po', 'GET', '/rest/api/3/issue/DEMO-1?expand=names,schema,changelog,transitions,renderedFields&properties=*all'],
  ['po', 'GET', '/rest/api/3/issue/10004?fields=summary,status,customfield_10020,-status'],
  ['po', 'GET', '/rest/api/3/issue/DEMO-404'],
  ['po', 'PUT', '/rest/api/3/issue/DEMO-12?returnIssue=true', { fields: { summary: 'Two-factor authentication for admins', labels: ['auth', 'security'] }, update: {} }],
  ['app', 'PUT', '/rest/api/3/issue/DEMO-12?notifyUsers=false&overrideScreenSecurity=true', { fields: { customfield_10016: 13 } }],
  ['po', 'PUT', '/rest/api/3/issue/DEMO-12', { update: { labels: [{ add: 'mfa' }, { remove: 'security' }], priority: [{ set: { id: '1' } }] } }],
  ['po', 'PUT', '/rest/api/3/issue/DEMO-12', { fields: { description: 'plain text is not a document' } }],
  ['stakeholder', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Story' }, summary: 'Pay with TWINT', priority: { name: 'High' } } }],
  ['dev1', 'POST', '/rest/api/3/issue', { fields: { project: { id: '10000' }, issuetype: { id: '10003' }, summary: 'Spike: TWINT sandbox', parent: { key: 'DEMO-10' } } }],
  ['po', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Story' } } }],
  ['dev2', 'GET', '/rest/api/3/issue/DEMO-4/transitions?expand=transitions.fields'],
  ['dev2', 'POST', '/rest/api/3/issue/DEMO-4/transitions', { transition: { id: '21' } }],
  ['dev2', 'POST', '/rest/api/3/issue/DEMO-4/transitions', { transition: { id: '21' } }],
  ['po', 'GET', '/rest/api/3/issue/DEMO-4/changelog?startAt=0&maxResults=1'],
  ['po', 'GET', '/rest/api/3/issue/DEMO-4/changelog?startAt=1'],
  ['po', 'POST', '/rest/api/3/issue/DEMO-1/changelog/list', { changelogIds: [10101, 10102] }],
  ['app', 'POST', '/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: ['DEMO-1', 'DEMO-4', 'DEMO-10'], fieldIds: ['status', 'customfield_10019'], maxResults: 2 }],
  ['app', 'PUT', '/rest/api/3/issue/DEMO-1/properties/srg-verdicts', { open: [{ rule: 'backlog-rank', changelogId: '10101' }] }],
  ['app', 'GET', '/rest/api/3/issue/DEMO-1/properties'],
  ['po', 'GET', '/rest/api/3/issue/DEMO-1/properties/srg-verdicts'],
  ['app', 'DELETE', '/rest/api/3/issue/DEMO-1/properties/srg-verdicts'],
  ['app', 'GET', '/rest/api/3/issue/DEMO-1/properties/srg-verdicts'],
  ['app', 'PUT', '/rest/api/3/project/DEMO/properties/srg-roles', { version: 1, roles: {} }],
  ['po', 'GET', '/rest/api/3/project/DEMO/properties/srg-roles'],
  ['dev1', 'PUT', '/rest/api/3/project/DEMO/properties/srg-roles', { v: 2 }],
  ['app', 'DELETE', '/rest/api/3/project/DEMO/properties/srg-roles'],
  ['po', 'GET', `/rest/api/3/search/jql?jql=${enc('project = DEMO AND sprint in openSprints() ORDER BY Rank ASC')}&fields=summary,status,customfield_10019&maxResults=4`],
  ['po', 'POST', '/rest/api/3/search/jql', { jql: 'key in (DEMO-1, DEMO-2, DEMO-3) AND updated >= -30d ORDER BY key DESC', fields: ['*all'], maxResults: 2, expand: 'names' }],
  ['po', 'POST', '/rest/api/3/search/jql', { jql: 'project = DEMO OR key = DEMO-1' }],
  ['po', 'GET', '/rest/agile/1.0/board?projectKeyOrId=DEMO'],
  ['po', 'GET', '/rest/agile/1.0/board/1/configuration'],
  ['po', 'GET', '/rest/agile/1.0/board/7/configuration'],
  ['po', 'GET', '/rest/agile/1.0/board/1/sprint?state=active,future'],
  ['po', 'GET', '/rest/agile/1.0/board/1/backlog?fields=summary,customfield_10019&maxResults=5'],
  ['po', 'GET', `/rest/agile/1.0/board/1/issue?jql=${enc('issuetype = Bug')}&fields=summary`],
  ['po', 'GET', '/rest/agile/1.0/issue/DEMO-4'],
  ['po', 'GET', '/rest/agile/1.0/sprint/1'],
  ['po', 'GET', '/rest/agile/1.0/sprint/1/issue?fields=summary,status&maxResults=3'],
  ['stakeholder', 'PUT', '/rest/agile/1.0/issue/rank', { issues: ['DEMO-17'], rankBeforeIssue: 'DEMO-10' }],
  ['po', 'PUT', '/rest/agile/1.0/issue/rank', { issues: ['DEMO-16', 'DEMO-777'], rankAfterIssue: 'DEMO-13', rankCustomFieldId: 10019 }],
  ['outsider', 'PUT', '/rest/agile/1.0/issue/rank', { issues: ['DEMO-16'], rankAfterIssue: 'DEMO-13' }],
  ['po', 'POST', '/rest/agile/1.0/sprint/2/issue', { issues: ['DEMO-10'], rankBeforeIssue: 'DEMO-8' }],
  ['po', 'POST', '/rest/agile/1.0/backlog/issue', { issues: ['DEMO-9'] }],
  ['sm', 'POST', '/rest/agile/1.0/sprint/1', { goal: 'Customers can sign in' }],
  ['sm', 'POST', '/rest/agile/1.0/sprint/1', { state: 'closed' }],
  ['dev1', 'POST', '/rest/agile/1.0/sprint/2', { state: 'active', goal: 'Reorder', startDate: '2026-11-16T09:00:00.000+0000', endDate: '2026-11-30T17:00:00.000+0000' }],
  ['dev1', 'POST', '/rest/agile/1.0/sprint/1', { name: 'Renamed' }],
  ['outsider', 'GET', '/rest/agile/1.0/sprint/2'],
];

describe('a scripted session over every operation', () => {
  it('breaks the contract nowhere, and exercises every implemented operation', async () => {
    const site = new JiraSite({ clock: () => new Date('2026-11-16T09:00:00.000Z') });
    const exercised = new Set<string>();
    for (const [who, method, path, body] of SESSION) {
      const actor: Actor = who === 'app' ? { kind: 'app' } : { kind: 'user', accountId: PEOPLE[who].accountId };
      const response = await site.handle({ actor, method, path, headers: {}, body: body === undefined ? undefined : JSON.stringify(body) });
      const route = matchRoute(method, path.split('?')[0] as string);
      if (route && response.status < 300) exercised.add(`${method} ${route.template}`);
      // Every answer with a body is JSON.
      if (response.body !== '') expect(() => JSON.parse(response.body)).not.toThrow();
    }
    expect(site.contractViolations).toEqual([]);
    expect(implementedOperations().filter((op) => !exercised.has(op))).toEqual([]);
    // The refusals in the script were answered as refusals.
    const statuses = site.requestLog.map((r) => r.status);
    expect(statuses.filter((s) => s >= 400).length).toBeGreaterThanOrEqual(10);
  });
});
