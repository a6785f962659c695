/**
 * The audit leaves out the app's own put-backs: live, the triggers never see them (ignoreSelf), so
 * "Try it first" must not count them as changes made by someone outside the Scrum Team.
 */
import { demoRoleConfig, PEOPLE } from '../../sandbox/jira';
import { RESOLVER_KEYS as K } from '../../src/shared/resolver-api';
import { resolverBed, type ResolverBed } from '../resolvers/support';

let bed: ResolverBed;
beforeAll(async () => {
  bed = await resolverBed();
});
afterAll(async () => {
  await bed.close();
});

describe('the audit and the app’s own changes', () => {
  it('counts a stakeholder’s backlog move that the app put back once, and never the put-back', async () => {
    const site = bed.sandbox.site;
    const document = { ...demoRoleConfig(site.fieldIds), rules: { 'backlog-rank': { mode: 'block' } } };
    expect(await bed.call('settings', K.saveProjectSettings, { document, expectedRevision: null }, 'admin')).toMatchObject({ ok: true });

    const backlog = site.backlogOrder();
    const moved = backlog[3]!;
    const response = await site.act('stella', { action: 'rank', issue: moved, before: backlog[0]! });
    expect(response.ok).toBe(true);
    await bed.sandbox.host.settle();
    // The app put the item back: Jira's history holds its own rank change.
    const history = site.findIssue(moved)!.changelog;
    expect(history.filter((e) => e.authorAccountId === site.appAccountId)).toHaveLength(1);
    expect(site.backlogOrder()).toEqual(backlog);

    const started = await bed.call('settings', K.startAudit, { document, days: 1 }, 'sm');
    await bed.sandbox.host.settle();
    const audit = await bed.call('settings', K.auditProgress, { auditId: started.auditId }, 'sm');
    expect(audit).toMatchObject({ ok: true, state: 'done' });
    const onMoved = audit.findings.filter((f: { issueKey: string }) => f.issueKey === moved);
    expect(onMoved.map((f: { rule: string; actor: string }) => `${f.rule} ${f.actor}`)).toEqual([`backlog-rank ${PEOPLE.stakeholder.accountId}`]);
    expect(audit.findings.map((f: { actor: string }) => f.actor)).not.toContain(site.appAccountId);
    expect(audit.byPerson.map((p: { accountId: string }) => p.accountId)).not.toContain(site.appAccountId);
    expect(site.contractViolations).toEqual([]);
  });
});
