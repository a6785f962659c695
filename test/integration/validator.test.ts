/**
 * The status rule in block mode, as Jira runs it: the function validator gets Forge's documented
 * argument (the item and the transition, no user) and the person transitioning only as the invocation's
 * principal; the expression validator and condition are evaluated by Jira with `user`, `issue` and
 * `project`, over the role map the app publishes on the project.
 */
import { KvsConfigStore } from '../../src/adapters/kvs-config-store';
import { PUBLISHED_CONFIG_PROPERTY, PUBLISHED_GROUPS_PROPERTY } from '../../src/app/published-config';
import { refusalMessage } from '../../src/app/validator';
import { projectConfigSchema } from '../../src/core';
import { appContractProblems, startHarness, type Harness } from './harness';

let h: Harness;

afterEach(async () => {
  expect(appContractProblems(h.sandbox)).toEqual([]);
  await h.close();
});

function documentedArgument(issueKey: string): Record<string, unknown> {
  const statusId = h.sandbox.site.issueState(issueKey).statusId;
  return { issue: { key: issueKey }, configuration: {}, transition: { from: { id: statusId }, to: { id: '3' } } };
}

async function validate(issueKey: string, as: string | null): Promise<{ result: boolean; errorMessage?: string }> {
  return (await h.sandbox.host.runWorkflowValidator('srg-status-validator', documentedArgument(issueKey), as === null ? undefined : h.accountOf(as)));
}

async function settingsView(): Promise<{ warnings: { code: string; message: string }[]; revision: number | null }> {
  const answer = (await h.sandbox.host.invokeResolver('srg-settings', 'getProjectSettings', {}, {
    accountId: h.accountOf('alex'),
    extension: { project: { id: h.sandbox.site.project.id, key: 'DEMO', type: 'software' } },
  })) as { ok: boolean; warnings: { code: string; message: string }[]; revision: number | null };
  return answer;
}

async function projectProperty(key: string): Promise<{ status: number; value?: unknown }> {
  const answer = await h.sandbox.site.handle({ actor: { kind: 'app' }, method: 'GET', path: `/rest/api/3/project/DEMO/properties/${key}`, headers: {}, body: undefined });
  return answer.status === 200 ? { status: 200, value: (JSON.parse(answer.body) as { value: unknown }).value } : { status: answer.status };
}

describe('the function validator on the documented argument', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('takes the actor from the context principal: refuses a stakeholder, lets a Developer through', async () => {
    await h.saveConfig({ 'status-change': 'block' });
    const refused = await validate('DEMO-4', 'stella');
    expect(refused).toEqual({ result: false, errorMessage: expect.stringContaining('only the Developers may move work items to another status') });
    expect(refused.errorMessage).not.toMatch(/status-change|was changed/);
    expect(await validate('DEMO-4', 'dana')).toEqual({ result: true });
    const rows = (await h.violations()).filter((r) => r.rule === 'status-change');
    expect(rows).toEqual([expect.objectContaining({ outcome: 'refused', actor: h.accountOf('stella'), issueKey: 'DEMO-4' })]);
  });

  it('never refuses on a guess, and never passes silently: with nobody named, logged once and warned about', async () => {
    await h.saveConfig({ 'status-change': 'block' });
    expect(await validate('DEMO-4', null)).toEqual({ result: true });
    expect(await validate('DEMO-7', null)).toEqual({ result: true });
    const rows = (await h.violations()).filter((r) => r.rule === 'status-change');
    expect(rows).toEqual([expect.objectContaining({ outcome: 'unjudgeable', mode: 'block', issueKey: 'DEMO-4' })]);
    const { warnings } = await settingsView();
    expect(warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'status-check-blind', message: expect.stringContaining('Scrum Role Guard status rule (by role)') })]));
    expect(warnings.find((w) => w.code === 'status-check-blind')!.message).toContain('2 status change(s)');
  });

  it('refuses nothing while status-change only flags', async () => {
    await h.saveConfig({ 'status-change': 'flag' });
    expect(await validate('DEMO-4', 'stella')).toEqual({ result: true });
    expect(await validate('DEMO-4', null)).toEqual({ result: true });
    expect(await h.violations()).toEqual([]);
  });
});

describe('the role map published on the project', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('is written when the config is saved and follows every change, in the agreed shape', async () => {
    await h.saveConfig({ 'status-change': 'block' });
    const first = await projectProperty(PUBLISHED_CONFIG_PROPERTY);
    expect(first).toEqual({ status: 200, value: { version: 1, revision: 1, config: expect.objectContaining({ version: 1, rules: { 'status-change': { mode: 'block' } } }) } });
    const groups = await projectProperty(PUBLISHED_GROUPS_PROPERTY);
    expect(groups.value).toEqual({ version: 1, revision: 1, names: expect.objectContaining({ [h.sandbox.site.groups.find((g) => g.name === 'demo-developers')!.groupId]: 'demo-developers' }) });
    await h.saveConfig({ 'status-change': 'flag' });
    expect((await projectProperty(PUBLISHED_CONFIG_PROPERTY)).value).toMatchObject({ revision: 2, config: { rules: { 'status-change': { mode: 'flag' } } } });
  });

  it('follows a personal data erasure', async () => {
    await h.saveConfig({ 'status-change': 'block' });
    h.sandbox.closedAccounts.add(h.accountOf('sam'));
    await h.sandbox.host.runScheduled('srg-personal-data');
    const published = (await projectProperty(PUBLISHED_CONFIG_PROPERTY)).value as { revision: number; config: { roles: { scrumMaster: { users: string[] } } } };
    expect(published.revision).toBe(2);
    expect(published.config.roles.scrumMaster.users).toEqual([]);
  });

  it('is written when the app first meets a configured project without it', async () => {
    // A config stored before the app published it (an installation from an earlier version): straight into app storage.
    const roles = { productOwner: { users: [h.accountOf('olivia')] }, scrumMaster: { users: [h.accountOf('sam')] }, developers: { users: [h.accountOf('dana')] }, stakeholders: { users: [] } };
    await h.sandbox.host.runInInvocation(async () => {
      const document = projectConfigSchema.parse({ version: 1, roles, rules: { 'status-change': { mode: 'block' } } });
      expect((await new KvsConfigStore().save('DEMO', document, null, h.accountOf('alex'), new Date())).ok).toBe(true);
    });
    expect((await projectProperty(PUBLISHED_CONFIG_PROPERTY)).status).toBe(404);
    await h.act('olivia', { action: 'edit', issue: 'DEMO-12', fields: { priority: 'High' } });
    await h.settle();
    // The revision in effect (the app also wrote the site's field ids into the config on the way).
    const { revision } = await settingsView();
    expect((await projectProperty(PUBLISHED_CONFIG_PROPERTY)).value).toMatchObject({ version: 1, revision, config: { roles: { developers: { users: [h.accountOf('dana')] } } } });
  });

  it('refuses a save that could not be published while status-change blocks, saying what to do; otherwise saves and warns', async () => {
    const many = Array.from({ length: 800 }, (_, i) => `712020:dd000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const roles = { productOwner: { users: [h.accountOf('olivia')] }, scrumMaster: { users: [h.accountOf('sam')] }, developers: { users: many }, stakeholders: { users: [] } };
    await expect(h.saveConfig({ 'status-change': 'block' }, roles)).rejects.toThrow(/32,768 characters.*name groups or project roles instead of long lists of people/);
    expect((await settingsView()).revision).toBeNull();
    await h.saveConfig({ 'status-change': 'flag' }, roles);
    expect((await projectProperty(PUBLISHED_CONFIG_PROPERTY)).status).toBe(404);
    expect((await settingsView()).warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'status-check-unpublished' })]));
  });
});

describe('the expression validator and condition, evaluated by Jira with the user transitioning', () => {
  it('refuses a stakeholder even when Forge names nobody to the function validator; lets Developers by group and project role through', async () => {
    h = await startHarness({ sandbox: { validatorPrincipal: false } });
    await h.saveConfig({ 'status-change': 'block' });
    const refused = await h.sandbox.site.act('stella', { action: 'transition', issue: 'DEMO-4', to: 'In Progress' });
    // The expression validator's static message (manifest.yml) says what the function validator says.
    expect(refused).toEqual({ ok: false, status: 400, message: refusalMessage('status-change') });
    expect(refused.ok === false && refused.message).not.toMatch(/status-change|customfield|\d{5}/);
    expect(h.sandbox.site.issueState('DEMO-4').status).toBe('To Do');
    await h.act('dana', { action: 'transition', issue: 'DEMO-4', to: 'In Progress' });
    expect(h.sandbox.site.issueState('DEMO-4').status).toBe('In Progress');

    // Developers named by Jira project role (Developers, 10001): the Product Owner holds it through a group.
    const projectRoles = { productOwner: { users: [h.accountOf('olivia')] }, scrumMaster: { users: [h.accountOf('sam')] }, developers: { users: [], projectRoles: ['10001'] }, stakeholders: { users: [] } };
    await h.saveConfig({ 'status-change': 'block' }, projectRoles);
    await h.act('olivia', { action: 'transition', issue: 'DEMO-7', to: 'In Progress' });
    expect((await h.sandbox.site.act('stella', { action: 'transition', issue: 'DEMO-7', to: 'Done' })).ok).toBe(false);
  });

  it('offers no transition to someone the rule would refuse, when the condition is on the transitions', async () => {
    h = await startHarness({ sandbox: { workflowConditions: true } });
    await h.saveConfig({ 'status-change': 'block' });
    const offered = async (name: string) => {
      const answer = await h.sandbox.site.handle({ actor: { kind: 'user', accountId: h.accountOf(name) }, method: 'GET', path: '/rest/api/3/issue/DEMO-4/transitions', headers: {}, body: undefined });
      return (JSON.parse(answer.body) as { transitions: unknown[] }).transitions.length;
    };
    expect(await offered('stella')).toBe(0);
    expect(await offered('dana')).toBeGreaterThan(0);
    await h.saveConfig({ 'status-change': 'flag' });
    expect(await offered('stella')).toBeGreaterThan(0);
  });
});
