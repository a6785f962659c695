/**
 * The local Jira's team-managed Scrum project, TEAM: its own "Story point estimate" field (an id of its
 * own, scoped to the project), its own board and sprints, and a workflow that takes no app validators.
 * The app discovers the fields from the project's board, never assumes them; every rule works there,
 * except that a status change can only be flagged, which the settings page says.
 */
import { TEAM_BOARD_ID, TEAM_ESTIMATE_FIELD, TEAM_PROJECT, TEAM_SPRINT_IDS } from '../../sandbox/jira/team-data';
import { appContractProblems, startHarness, type Harness } from './harness';

let h: Harness;

beforeEach(async () => {
  h = await startHarness({ sandbox: { site: { teamProject: true } } });
});

afterEach(async () => {
  expect(appContractProblems(h.sandbox)).toEqual([]);
  await h.close();
});

const extension = () => ({ project: { id: TEAM_PROJECT.id, key: TEAM_PROJECT.key, type: 'software' } });

async function settings(functionKey: string, payload: unknown): Promise<Record<string, any>> {
  return (await h.sandbox.host.invokeResolver('srg-settings', functionKey, payload, { accountId: h.accountOf('alex'), extension: extension() })) as Record<string, any>;
}

async function saveTeamConfig(rules: Record<string, 'off' | 'flag' | 'block'>): Promise<Record<string, any>> {
  const group = (name: string) => h.sandbox.site.groups.find((g) => g.name === name)!.groupId;
  const current = await settings('getProjectSettings', {});
  const document = {
    version: 1,
    roles: {
      productOwner: { users: [h.accountOf('olivia')] },
      scrumMaster: { users: [h.accountOf('sam')] },
      developers: { users: [], groups: [group('demo-developers')] },
      stakeholders: { users: [], groups: [group('demo-stakeholders')] },
    },
    rules: Object.fromEntries(Object.entries(rules).map(([id, mode]) => [id, { mode }])),
  };
  const answer = await settings('saveProjectSettings', { document, expectedRevision: current['revision'] ?? null });
  if (answer['ok'] !== true) throw new Error(`saveProjectSettings refused: ${JSON.stringify(answer)}`);
  return answer;
}

async function teamRows(): Promise<{ rule: string; outcome: string; issueKey: string | null; mode: string }[]> {
  const answer = (await h.sandbox.host.invokeResolver('srg-violation-log', 'listViolations', { sort: { by: 'occurredAt', direction: 'desc' }, limit: 200, cursor: null, filter: {} }, {
    accountId: h.accountOf('alex'),
    extension: extension(),
  })) as { rows: { rule: string; outcome: string; issueKey: string | null; mode: string }[] };
  return answer.rows;
}

describe('the local Jira has a team-managed Scrum project of its own', () => {
  it('with its own board, sprints and a project-scoped estimate field, next to an unchanged DEMO', async () => {
    const { site } = h.sandbox;
    expect(site.projectOf('TEAM')?.project.style).toBe('next-gen');
    expect(site.boardView('TEAM').sprints.map((s) => s.id)).toEqual([TEAM_SPRINT_IDS.active, TEAM_SPRINT_IDS.future]);
    expect(site.backlogOrder()).toEqual(site.backlogOrder('DEMO'));
    expect(site.backlogOrder().every((k) => k.startsWith('DEMO-'))).toBe(true);
    const project = JSON.parse((await site.handle({ actor: { kind: 'app' }, method: 'GET', path: '/rest/api/3/project/TEAM', headers: {}, body: undefined })).body);
    expect(project).toMatchObject({ key: 'TEAM', style: 'next-gen', simplified: true });
    const fields = JSON.parse((await site.handle({ actor: { kind: 'app' }, method: 'GET', path: '/rest/api/3/field', headers: {}, body: undefined })).body) as { id: string; scope?: unknown }[];
    expect(fields.find((f) => f.id === TEAM_ESTIMATE_FIELD)).toMatchObject({ scope: { type: 'PROJECT', project: { id: TEAM_PROJECT.id } } });
    const config = JSON.parse((await site.handle({ actor: { kind: 'app' }, method: 'GET', path: `/rest/agile/1.0/board/${TEAM_BOARD_ID}/configuration`, headers: {}, body: undefined })).body);
    expect(config.estimation.field.fieldId).toBe(TEAM_ESTIMATE_FIELD);
  });
});

describe('the app in a team-managed project', () => {
  it('discovers the project\'s own fields and applies the rules there: estimate, rank and sprint scope undone, the rest flagged', async () => {
    await saveTeamConfig({ 'estimate-change': 'block', 'backlog-rank': 'block', 'sprint-scope-add': 'block', 'priority-change': 'flag', 'status-change': 'flag' });
    const saved = await settings('getProjectSettings', {});
    expect(saved['document'].fields).toEqual({ rank: h.sandbox.site.fieldIds.rank, sprint: h.sandbox.site.fieldIds.sprint, estimate: TEAM_ESTIMATE_FIELD });

    const { site } = h.sandbox;
    // A stakeholder re-estimates, reorders the backlog, adds to the running sprint, changes a priority, moves a status.
    await h.act('stella', { action: 'edit', issue: 'TEAM-3', fields: { estimate: 13 } });
    const backlog = site.backlogOrder('TEAM');
    await h.act('stella', { action: 'rank', issue: backlog[2]!, before: backlog[0]! });
    expect(await h.asPerson('stella', 'POST', `/rest/agile/1.0/sprint/${TEAM_SPRINT_IDS.active}/issue`, { issues: ['TEAM-4'] })).toBe(204);
    await h.act('stella', { action: 'edit', issue: 'TEAM-5', fields: { priority: 'Highest' } });
    await h.act('stella', { action: 'transition', issue: 'TEAM-2', to: 'In Progress' });
    await h.settle();

    expect(site.issueState('TEAM-3').estimate).toBe(5);
    expect(site.backlogOrder('TEAM')).toEqual(backlog);
    expect(site.issueState('TEAM-4').sprint).toBeNull();
    const rows = await teamRows();
    const outcome = (rule: string) => rows.filter((r) => r.rule === rule).map((r) => [r.issueKey, r.outcome]);
    expect(outcome('estimate-change')).toEqual([['TEAM-3', 'reverted']]);
    expect(outcome('backlog-rank')).toEqual([[backlog[2], 'reverted']]);
    expect(outcome('sprint-scope-add')).toEqual([['TEAM-4', 'reverted']]);
    expect(outcome('priority-change')).toEqual([['TEAM-5', 'flagged']]);
    expect(outcome('status-change')).toEqual([['TEAM-2', 'flagged']]);
    // DEMO's log is its own.
    expect((await h.violations()).filter((r) => r.issueKey?.startsWith('TEAM-'))).toEqual([]);
  });

  it('can only flag a status change there, and the settings page says why', async () => {
    await saveTeamConfig({ 'status-change': 'block' });
    const view = await settings('getProjectSettings', {});
    expect(view['warnings']).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'flag-only-here', path: 'rules.status-change', message: expect.stringContaining('team-managed') })]));
    // No app validator runs in a team-managed workflow: the transition happens, and is flagged after the fact.
    await h.act('stella', { action: 'transition', issue: 'TEAM-2', to: 'In Progress' });
    await h.settle();
    expect(h.sandbox.site.issueState('TEAM-2').status).toBe('In Progress');
    expect((await teamRows()).filter((r) => r.rule === 'status-change').map((r) => [r.mode, r.outcome])).toEqual([['block', 'flagged']]);
    // DEMO, company-managed, still refuses.
    await h.saveConfig({ 'status-change': 'block' });
    expect((await h.sandbox.site.act('stella', { action: 'transition', issue: 'DEMO-4', to: 'In Progress' })).ok).toBe(false);
  });

  it('judges a goal edit of the team-managed board\'s running sprint', async () => {
    await saveTeamConfig({});
    expect(await h.asPerson('olivia', 'POST', `/rest/agile/1.0/sprint/${TEAM_SPRINT_IDS.active}`, { goal: 'Customers pay their invoices online' })).toBe(200);
    await h.settle();
    expect((await teamRows()).map((r) => r.rule)).toEqual(['sprint-goal-change']);
  });
});
