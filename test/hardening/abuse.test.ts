/**
 * Every resolver function called directly (not through the UI) by each kind of person, against the
 * who-may-do-what matrix of docs/permissions.md: one assertion per cell.
 *
 * Kinds of person on the DEMO site, with the saved config naming Theo as Scrum Master so that Sam is a
 * project admin (Administrators role) who holds no Scrum role:
 *   Jira admin alex · project admin sam · Scrum Master theo · Product Owner olivia · Developer dana ·
 *   stakeholder stella · no access to the project oscar.
 */
import { SURFACE_FUNCTIONS, type Surface } from '../../src/shared/resolver-api';
import { saveRules, scaledBed, type ScaledBed } from './support';

const PEOPLE = ['jiraAdmin', 'projectAdmin', 'scrumMaster', 'productOwner', 'developer', 'stakeholder', 'noAccess'] as const;
type Kind = (typeof PEOPLE)[number];
const HANDLE: Record<Kind, string> = {
  jiraAdmin: 'alex',
  projectAdmin: 'sam',
  scrumMaster: 'theo',
  productOwner: 'olivia',
  developer: 'dana',
  stakeholder: 'stella',
  noAccess: 'oscar',
};
const MODULE = { settings: 'srg-settings', admin: 'srg-site-defaults', panel: 'srg-issue-panel', log: 'srg-violation-log' } as const;
const MODULE_OF: Record<Surface, string> = { settings: MODULE.settings, admin: MODULE.admin, issuePanel: MODULE.panel, violationLog: MODULE.log };
/** "module function" for every call the matrix made, to hold against the contract at the end. */
const called = new Set<string>();

let bed: ScaledBed;
let roles: Record<string, unknown>;
/** Log rows by actor handle, made before the matrix runs. */
const rowIdsOf: Record<string, string[]> = {};

beforeAll(async () => {
  bed = await scaledBed({ scale: 0.01 });
  const group = (name: string): string => bed.site.groups.find((g) => g.name === name)!.groupId;
  roles = {
    productOwner: { users: [bed.accountOf('olivia')] },
    scrumMaster: { users: [bed.accountOf('theo')] },
    developers: { users: [], groups: [group('demo-developers')] },
    stakeholders: { users: [], groups: [group('demo-stakeholders')] },
  };
  await saveRules(bed, { 'priority-change': 'flag', 'backlog-rank': 'flag', 'estimate-change': 'flag' }, roles);
  // Entries by a Developer and by a stakeholder, on DEMO-12, for the log and the panel.
  for (let i = 0; i < 3; i++) {
    expect((await bed.site.act('dana', { action: 'edit', issue: 'DEMO-12', fields: { priority: ['Low', 'High', 'Lowest'][i] } })).ok).toBe(true);
    expect((await bed.site.act('stella', { action: 'edit', issue: 'DEMO-12', fields: { priority: ['Medium', 'Highest', 'Low'][i] } })).ok).toBe(true);
  }
  // Entries about the coaches themselves, on DEMO-13: the Scrum Master changes a priority, the Product Owner an estimate.
  expect((await bed.site.act('theo', { action: 'edit', issue: 'DEMO-13', fields: { priority: 'High' } })).ok).toBe(true);
  expect((await bed.site.act('olivia', { action: 'edit', issue: 'DEMO-13', fields: { estimate: 8 } })).ok).toBe(true);
  await bed.host.settle();
  const all = await bed.resolver(MODULE.log, 'listViolations', { limit: 200 }, 'alex');
  for (const row of all['rows'] as { id: string; actor: string }[]) {
    const handle = bed.site.person(row.actor)!.handle;
    (rowIdsOf[handle] ??= []).push(row.id);
  }
  expect(rowIdsOf['dana']).toHaveLength(3);
  expect(rowIdsOf['stella']).toHaveLength(3);
  expect(rowIdsOf['theo']).toHaveLength(1);
  expect(rowIdsOf['olivia']).toHaveLength(1);
}, 60_000);

afterAll(async () => {
  await bed?.close();
});

function call(module: string, fn: string, payload: unknown, who: Kind, issueKey?: string): Promise<Record<string, unknown>> {
  called.add(`${module} ${fn}`);
  const extension: Record<string, unknown> =
    module === MODULE.admin ? {} : { project: { id: bed.site.project.id, key: bed.site.project.key, type: 'software' } };
  if (issueKey) {
    const issue = bed.site.findIssue(issueKey)!;
    extension['issue'] = { id: issue.id, key: issue.key, type: 'story' };
  }
  return bed.host.invokeResolver(module, fn, payload, { accountId: bed.accountOf(HANDLE[who]), extension }) as Promise<Record<string, unknown>>;
}

const allowed = (answer: Record<string, unknown>): boolean => answer['ok'] === true;
const forbidden = (answer: Record<string, unknown>): boolean =>
  answer['ok'] === false && (answer['error'] as { code?: string } | undefined)?.code === 'forbidden';

/** who -> may they. */
type Row = Record<Kind, boolean>;
const everyoneButOutsider: Row = { jiraAdmin: true, projectAdmin: true, scrumMaster: true, productOwner: true, developer: true, stakeholder: true, noAccess: false };
const admins: Row = { jiraAdmin: true, projectAdmin: true, scrumMaster: false, productOwner: false, developer: false, stakeholder: false, noAccess: false };
const jiraAdminOnly: Row = { ...admins, projectAdmin: false };
const coaches: Row = { jiraAdmin: false, projectAdmin: false, scrumMaster: true, productOwner: true, developer: false, stakeholder: false, noAccess: false };
const coachesAndAdmins: Row = { ...admins, scrumMaster: true, productOwner: true };
const nobody: Row = { jiraAdmin: false, projectAdmin: false, scrumMaster: false, productOwner: false, developer: false, stakeholder: false, noAccess: false };

let cells = 0;
async function cell(row: Row, who: Kind, answer: Record<string, unknown>, what: string): Promise<void> {
  cells++;
  const verdict = row[who] ? allowed(answer) : forbidden(answer);
  if (!verdict) throw new Error(`${what} as ${who} (${HANDLE[who]}): expected ${row[who] ? 'allowed' : 'forbidden'}, got ${JSON.stringify(answer).slice(0, 400)}`);
}

const document = (): Record<string, unknown> => ({ version: 1, roles, rules: { 'priority-change': { mode: 'flag' }, 'backlog-rank': { mode: 'flag' } } });

describe.each(PEOPLE)('as %s', (who) => {
  it('settings page: reads, previews and searches as a project member; saves and audits as an admin', async () => {
    await cell(everyoneButOutsider, who, await call(MODULE.settings, 'getProjectSettings', {}, who), 'getProjectSettings');
    await cell(everyoneButOutsider, who, await call(MODULE.settings, 'previewRoles', { document: document() }, who), 'previewRoles');
    await cell(everyoneButOutsider, who, await call(MODULE.settings, 'searchPeople', { query: 'da' }, who), 'searchPeople');
    await cell(everyoneButOutsider, who, await call(MODULE.settings, 'searchGroups', { query: 'demo' }, who), 'searchGroups');
    await cell(everyoneButOutsider, who, await call(MODULE.settings, 'listProjectRoles', {}, who), 'listProjectRoles');
    const current = await call(MODULE.settings, 'getProjectSettings', {}, 'jiraAdmin');
    await cell(admins, who, await call(MODULE.settings, 'saveProjectSettings', { document: document(), expectedRevision: current['revision'] ?? null }, who), 'saveProjectSettings');
    const audit = await call(MODULE.settings, 'startAudit', { document: document(), days: 2 }, who);
    await cell(admins, who, audit, 'startAudit');
    const auditId = allowed(audit) ? (audit['auditId'] as string) : ((await call(MODULE.settings, 'startAudit', { document: document(), days: 2 }, 'jiraAdmin'))['auditId'] as string);
    await bed.host.settle();
    await cell(admins, who, await call(MODULE.settings, 'auditProgress', { auditId }, who), 'auditProgress');
  });

  it('admin page: only a Jira admin reads, previews, searches and saves the site defaults', async () => {
    const current = await call(MODULE.admin, 'getSiteDefaults', {}, who);
    await cell(jiraAdminOnly, who, current, 'getSiteDefaults');
    await cell(jiraAdminOnly, who, await call(MODULE.admin, 'previewRoles', { document: document() }, who), 'previewRoles (site)');
    await cell(jiraAdminOnly, who, await call(MODULE.admin, 'searchPeople', { query: 'da' }, who), 'searchPeople (site)');
    await cell(jiraAdminOnly, who, await call(MODULE.admin, 'searchGroups', { query: 'demo' }, who), 'searchGroups (site)');
    const revision = (await call(MODULE.admin, 'getSiteDefaults', {}, 'jiraAdmin'))['revision'] ?? null;
    await cell(jiraAdminOnly, who, await call(MODULE.admin, 'saveSiteDefaults', { document: document(), expectedRevision: revision }, who), 'saveSiteDefaults');
  });

  it('issue panel: every project member reads the work item entries; only the Product Owner and Scrum Master acknowledge', async () => {
    const nudges = await call(MODULE.panel, 'getWorkItemNudges', {}, who, 'DEMO-12');
    await cell(everyoneButOutsider, who, nudges, 'getWorkItemNudges');
    const target = rowIdsOf['dana']![0]!;
    await cell(coaches, who, await call(MODULE.panel, 'acknowledge', { ids: [target], note: `seen by ${who}` }, who, 'DEMO-12'), 'acknowledge');
  });

  it('violation log: members see their own entries only; coaches and admins see all; only coaches acknowledge', async () => {
    const list = await call(MODULE.log, 'listViolations', { limit: 200 }, who);
    await cell(everyoneButOutsider, who, list, 'listViolations');
    await cell(everyoneButOutsider, who, await call(MODULE.log, 'violationCharts', {}, who), 'violationCharts');
    const csv = await call(MODULE.log, 'exportCsv', {}, who);
    await cell(everyoneButOutsider, who, csv, 'exportCsv');
    if (allowed(list)) {
      const actors = new Set((list['rows'] as { actor: string }[]).map((r) => bed.site.person(r.actor)!.handle));
      const seesAll = ['jiraAdmin', 'projectAdmin', 'scrumMaster', 'productOwner'].includes(who);
      cells++;
      if (seesAll) expect([...actors].sort()).toEqual(['dana', 'olivia', 'stella', 'theo']);
      // Their own entries, and there are some: an empty page would not show the narrowing works.
      else expect([...actors]).toEqual([HANDLE[who]]);
      // Asking for someone else's entries answers an empty page, not an error.
      const others = await call(MODULE.log, 'listViolations', { filter: { actors: [bed.accountOf('dana')] }, limit: 200 }, who);
      cells++;
      expect((others['rows'] as unknown[]).length).toBe(seesAll || who === 'developer' ? 3 : 0);
    }
    const target = rowIdsOf['stella']![0]!;
    await cell(coaches, who, await call(MODULE.log, 'acknowledgeMany', { ids: [target], note: `seen by ${who}` }, who), 'acknowledgeMany');
  });

  it('role health: the coaches and admins see it and its drill-down; every member reads the charter; admins ask for suggestions', async () => {
    // Computed first as a Jira admin, so the drill-down has figures to answer from.
    await call(MODULE.log, 'roleHealth', { sprints: 2 }, 'jiraAdmin');
    await bed.host.settle();
    await cell(coachesAndAdmins, who, await call(MODULE.log, 'roleHealth', { sprints: 2 }, who), 'roleHealth');
    await cell(coachesAndAdmins, who, await call(MODULE.log, 'roleHealthChanges', { sprintId: '1', accountability: 'status-update', bucket: 'developers' }, who), 'roleHealthChanges');
    await cell(everyoneButOutsider, who, await call(MODULE.log, 'getRoleCharter', {}, who), 'getRoleCharter');
    await cell(admins, who, await call(MODULE.settings, 'suggestRoles', { days: 30 }, who), 'suggestRoles');
    await bed.host.settle();
  });

  it('nobody closes an entry about themselves, on the panel or the log, alone or among others; the other coach can', async () => {
    const own = rowIdsOf[HANDLE[who]]?.[0];
    if (own === undefined) return; // no entry about them (admins, the outsider)
    const issueKey = who === 'scrumMaster' || who === 'productOwner' ? 'DEMO-13' : 'DEMO-12';
    await cell(nobody, who, await call(MODULE.panel, 'acknowledge', { ids: [own], note: `my own, by ${who}` }, who, issueKey), 'acknowledge own entry');
    await cell(nobody, who, await call(MODULE.log, 'acknowledgeMany', { ids: [own], note: `my own, by ${who}` }, who), 'acknowledgeMany own entry');
    await cell(nobody, who, await call(MODULE.log, 'acknowledgeMany', { ids: [rowIdsOf['dana']![1]!, own], note: `mine among others, by ${who}` }, who), 'acknowledgeMany own among others');
    if (who === 'scrumMaster' || who === 'productOwner') {
      const other = who === 'scrumMaster' ? 'productOwner' : 'scrumMaster';
      await cell(coaches, other, await call(MODULE.panel, 'acknowledge', { ids: [own], note: `talked through with ${who}` }, other, 'DEMO-13'), 'acknowledge the other coach\'s entry');
    }
  });
});

describe('the matrix', () => {
  it('called every function of the resolver contract on every surface that defines it', () => {
    const expected = (Object.keys(SURFACE_FUNCTIONS) as Surface[]).flatMap((surface) => SURFACE_FUNCTIONS[surface].map((fn) => `${MODULE_OF[surface]} ${fn}`));
    expect([...called].sort()).toEqual(expected.sort());
  });
});

afterAll(() => {
  console.info(`abuse matrix: ${cells} cells asserted`);
});
