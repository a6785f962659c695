/**
 * The audit over the demo project's history, run through the settings resolver and the queue, gives
 * the same verdicts as the engine run on the events Jira delivered for the same changes; and on the
 * demo's seeded history it finds what a Scrum Master would expect, including a rank made inside the
 * active sprint days after the item joined it.
 */
import { parseConfigOrThrow, evaluate, normaliseEvent, resolveRoles, type Membership } from '../../src/core';
import { demoRoleConfig, PEOPLE } from '../../sandbox/jira';
import { RESOLVER_KEYS as K } from '../../src/shared/resolver-api';
import { resolverBed, type ResolverBed, type Who } from './support';

let bed: ResolverBed;
const delivered: Record<string, unknown>[] = [];
beforeAll(async () => {
  bed = await resolverBed();
  bed.sandbox.site.onEvent((_type, payload, meta) => {
    if (!meta.byApp) delivered.push(structuredClone(payload));
  });
});
afterAll(async () => {
  await bed.close();
});

function membership(accountId: string): Membership {
  const site = bed.sandbox.site;
  return { accountId, groupIds: site.groupsOf(accountId).map((g) => g.groupId), projectRoleIds: site.projectRoleIdsOf(accountId).map(String) };
}

async function act(who: Who, method: string, path: string, body?: unknown): Promise<void> {
  const response = await bed.sandbox.site.handle({
    actor: { kind: 'user', accountId: PEOPLE[who].accountId },
    method,
    path,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${who} ${method} ${path}: ${response.status} ${response.body}`);
}

async function runAudit(document: unknown, days: number): Promise<any> {
  const started = await bed.call('settings', K.startAudit, { document, days }, 'sm');
  expect(started).toMatchObject({ ok: true, state: 'queued', days });
  await bed.sandbox.host.settle();
  const progress = await bed.call('settings', K.auditProgress, { auditId: started.auditId }, 'sm');
  expect(progress).toMatchObject({ ok: true, state: 'done', error: null });
  expect(progress.processed).toBe(progress.total);
  return progress;
}

type Key = string;
const keyOf = (issueKey: string | null, rule: string, actor: string): Key => `${issueKey}|${rule}|${actor}`;

describe('the audit', () => {
  it('finds in history what the engine decides on the delivered events, with the unsaved rules', async () => {
    const site = bed.sandbox.site;
    const document = { ...demoRoleConfig(site.fieldIds), rules: { 'backlog-rank': { mode: 'block' }, 'priority-change': { mode: 'flag' }, 'assign-others': { mode: 'off' } } };
    const before = Date.now();
    const backlog = site.backlogOrder();
    // A stakeholder reorders the Product Backlog; the Scrum Master changes a priority and assigns an
    // item (a rule switched off here); the Product Owner moves a status; a developer edits an estimate.
    await act('stakeholder', 'PUT', '/rest/agile/1.0/issue/rank', { issues: [backlog[3]], rankBeforeIssue: backlog[0] });
    await act('sm', 'PUT', `/rest/api/3/issue/${backlog[1]}`, { fields: { priority: { id: '1' } } });
    await act('sm', 'PUT', `/rest/api/3/issue/${backlog[2]}`, { fields: { assignee: { accountId: PEOPLE.dev2.accountId } } });
    await act('po', 'POST', `/rest/api/3/issue/${backlog[2]}/transitions`, { transition: { id: '21' } });
    await act('dev1', 'PUT', `/rest/api/3/issue/${backlog[4]}`, { fields: { [site.fieldIds.estimate]: 13 } });
    await act('stakeholder', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'DEMO' }, summary: 'An idea from sales', issuetype: { id: '10001' } } });
    expect(delivered.length).toBe(6);

    const effective = parseConfigOrThrow(document);
    const fields = { rank: site.fieldIds.rank, sprint: site.fieldIds.sprint, estimate: site.fieldIds.estimate };
    const expected: Key[] = [];
    for (const payload of delivered) {
      const normalised = normaliseEvent(payload, fields);
      if (normalised.kind !== 'event' || normalised.event.actor === null) continue;
      const roles = resolveRoles(effective.config, membership(normalised.event.actor));
      const issueKey = 'issue' in normalised.event ? normalised.event.issue.key : null;
      for (const verdict of evaluate(normalised.event, roles, effective)) expected.push(keyOf(issueKey, verdict.rule, normalised.event.actor));
    }
    expect(expected.length).toBeGreaterThanOrEqual(3);

    const audit = await runAudit(document, 14);
    const found: Key[] = audit.findings
      .filter((f: { at: string }) => Date.parse(f.at) >= before - 1000)
      .map((f: { issueKey: string; rule: string; actor: string }) => keyOf(f.issueKey, f.rule, f.actor));
    expect(found.sort()).toEqual(expected.sort());
    expect(bed.sandbox.site.contractViolations).toEqual([]);
  });

  it('replays the seeded history: counts per rule and per person, sprint membership as it was then', async () => {
    const site = bed.sandbox.site;
    const audit = await runAudit(demoRoleConfig(site.fieldIds), 14);
    const seeded = audit.findings.map((f: { issueKey: string; rule: string; actor: string }) => keyOf(f.issueKey, f.rule, f.actor));
    expect(seeded).toEqual(
      expect.arrayContaining([
        keyOf('DEMO-10', 'backlog-rank', PEOPLE.stakeholder.accountId),
        keyOf('DEMO-10', 'estimate-change', PEOPLE.sm.accountId),
        keyOf('DEMO-4', 'assign-others', PEOPLE.sm.accountId),
        keyOf('DEMO-3', 'status-change', PEOPLE.po.accountId),
        // DEMO-7 joined the sprint before it started; ranked three days into it, it was a sprint rank.
        keyOf('DEMO-7', 'sprint-rank', PEOPLE.stakeholder.accountId),
      ]),
    );
    // The Product Owner ordering and prioritising, and Developers moving their own work, are fine.
    expect(seeded).not.toContain(keyOf('DEMO-1', 'backlog-rank', PEOPLE.po.accountId));
    expect(seeded).not.toContain(keyOf('DEMO-1', 'priority-change', PEOPLE.po.accountId));
    expect(seeded.filter((k: string) => k.endsWith(PEOPLE.dev3.accountId))).toEqual([]);
    // Adding items to a sprint that had not started yet is not adding scope to a running sprint.
    expect(seeded.filter((k: string) => k.includes('sprint-scope-add'))).toEqual([]);

    const byRule = Object.fromEntries(audit.byRule.map((r: { rule: string; count: number }) => [r.rule, r.count]));
    const total = audit.byRule.reduce((sum: number, r: { count: number }) => sum + r.count, 0);
    expect(total).toBe(audit.findings.length);
    expect(byRule['estimate-change']).toBeGreaterThanOrEqual(1);
    const stakeholder = audit.byPerson.find((p: { accountId: string }) => p.accountId === PEOPLE.stakeholder.accountId);
    expect(stakeholder).toMatchObject({ roles: ['stakeholders'] });
    expect(stakeholder.rules).toEqual(expect.arrayContaining(['backlog-rank', 'sprint-rank']));
    expect(audit.people.map((p: { displayName: string }) => p.displayName)).toContain('Stella Hart');
    // The active sprint started in the window and the sprint before it closed there; Jira does not say who started or closed them.
    expect(audit.notJudged).toEqual([
      expect.objectContaining({ count: 1, reason: expect.stringMatching(/started/) }),
      expect.objectContaining({ count: 1, reason: expect.stringMatching(/closed/) }),
    ]);
  });

  it('keeps audits to their project and their admins', async () => {
    const started = await bed.call('settings', K.startAudit, { document: demoRoleConfig(bed.sandbox.site.fieldIds), days: 1 }, 'sm');
    await bed.sandbox.host.settle();
    expect(await bed.call('settings', K.auditProgress, { auditId: started.auditId }, 'dev1')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await bed.call('settings', K.auditProgress, { auditId: '00000000-0000-4000-8000-000000000000' }, 'sm')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await bed.call('settings', K.auditProgress, { auditId: 'x' }, 'sm')).toMatchObject({ ok: false, error: { code: 'invalid-payload', issues: [{ path: 'auditId' }] } });
  });
});
