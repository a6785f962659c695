/**
 * The resolvers called the way Custom UI's invoke() reaches them, as each kind of person: bad
 * payloads answer errors naming the field, permissions are checked on the server with the caller's
 * own Jira permissions, and the previews resolve roles through Jira's groups and project roles.
 */
import { demoRoleConfig, GROUP_IDS, PEOPLE, ROLE_IDS } from '../../sandbox/jira';
import { RESOLVER_KEYS as K } from '../../src/shared/resolver-api';
import { resolverBed, STORES_READY, type ResolverBed } from './support';

let bed: ResolverBed;
beforeAll(async () => {
  bed = await resolverBed();
});
afterAll(async () => {
  await bed.close();
});
afterEach(() => {
  // Every request the resolvers made is held to Atlassian's OpenAPI description.
  expect(bed.sandbox.site.contractViolations).toEqual([]);
});

const demoConfig = () => demoRoleConfig(bed.sandbox.site.fieldIds);

describe('payloads', () => {
  it('answers invalid-payload naming the field and what was expected', async () => {
    const answer = await bed.call('violationLog', K.listViolations, { filter: { rules: ['no-such-rule'], from: 'yesterday' }, limit: 0 }, 'sm');
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe('invalid-payload');
    const paths = answer.error.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['filter.from', 'filter.rules[0]', 'limit']);
    expect(answer.error.issues.find((i: { path: string }) => i.path === 'limit').message).toMatch(/at least 1/);
  });

  it('refuses unknown keys at their own path', async () => {
    const answer = await bed.call('settings', K.searchPeople, { query: 'sam', projectKey: 'OTHER' }, 'sm');
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-payload', issues: [{ path: 'projectKey' }] } });
  });

  it('answers an invalid config document with paths inside the document', async () => {
    const document = { ...demoConfig(), rules: { 'item-create': { mode: 'block' } }, roles: { productOwner: { users: ['not an id!'] } } };
    const answer = await bed.call('settings', K.previewRoles, { document }, 'sm');
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe('invalid-config');
    const paths = answer.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['roles.productOwner.users[0]', 'rules.item-create.mode']));
  });

  it('does not answer functions of another surface', async () => {
    await expect(bed.call('issuePanel', K.saveProjectSettings, { document: demoConfig(), expectedRevision: null }, 'admin')).rejects.toThrow(/no definition for 'saveProjectSettings'/);
  });
});

describe('permissions, checked with the caller’s own Jira permissions', () => {
  it('refuses a person who cannot browse the project everything, even a read', async () => {
    for (const [surface, key, payload] of [
      ['violationLog', K.listViolations, {}],
      ['settings', K.previewRoles, { document: demoConfig() }],
      ['settings', K.searchPeople, { query: 'sam' }],
      ['violationLog', K.exportCsv, {}],
    ] as const) {
      const answer = await bed.call(surface, key, payload, 'outsider');
      expect({ key, answer }).toMatchObject({ key, answer: { ok: false, error: { code: 'forbidden' } } });
    }
  });

  it('lets only project admins save project settings, and only Jira admins save site defaults', async () => {
    const save = { document: demoConfig(), expectedRevision: null };
    for (const who of ['dev1', 'po', 'stakeholder'] as const) {
      expect(await bed.call('settings', K.saveProjectSettings, save, who)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // The Scrum Master is a project admin on the demo site, but not a Jira admin.
    expect(await bed.call('admin', K.saveSiteDefaults, save, 'sm')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await bed.call('admin', K.getSiteDefaults, {}, 'dev1')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('lets only project admins run the audit', async () => {
    const answer = await bed.call('settings', K.startAudit, { document: demoConfig(), days: 3 }, 'dev1');
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('role previews and pickers', () => {
  it('resolves each role through groups and project roles, with names, and warns about the unsaved document', async () => {
    const document = demoConfig() as any;
    document.roles.scrumMaster = { users: [PEOPLE.sm.accountId, PEOPLE.po.accountId], groups: [], projectRoles: [] };
    document.roles.stakeholders = { users: [], groups: [], projectRoles: [String(ROLE_IDS.users)] };
    const answer = await bed.call('settings', K.previewRoles, { document }, 'sm');
    expect(answer.ok).toBe(true);
    expect(answer.resolved.developers.sort()).toEqual([PEOPLE.dev1.accountId, PEOPLE.dev2.accountId, PEOPLE.dev3.accountId].sort());
    expect(answer.resolved.stakeholders).toEqual([PEOPLE.stakeholder.accountId]);
    expect(answer.resolved.productOwner).toEqual([PEOPLE.po.accountId]);
    // Whom a warning concerns travels as data: the page names people from it, never from the words.
    expect(answer.warnings).toEqual([
      { code: 'po-is-sm', path: 'roles', accountIds: [PEOPLE.po.accountId], message: `${PEOPLE.po.accountId} is both Product Owner and Scrum Master; the two accountabilities pull in different directions and are best held by different people` },
    ]);
    expect(answer.people.map((p: { displayName: string }) => p.displayName)).toEqual(expect.arrayContaining(['Dana Kim', 'Stella Hart', 'Olivia Owen']));
    expect(answer.rules).toHaveLength(12);
    expect(answer.rules.find((r: { id: string }) => r.id === 'item-create')).toMatchObject({ canBlock: false, mode: 'flag' });
  });

  it('names the role a warning concerns as data', async () => {
    const document = demoConfig() as any;
    document.roles.stakeholders = { users: [], groups: [], projectRoles: [] };
    const answer = await bed.call('admin', K.previewRoles, { document }, 'admin');
    expect(answer.warnings).toEqual([{ code: 'empty-role', path: 'roles.stakeholders', role: 'stakeholders', message: 'nobody is in Stakeholders yet' }]);
  });

  it('searches people, groups and project roles through Jira', async () => {
    const people = await bed.call('settings', K.searchPeople, { query: 'Dana' }, 'sm');
    expect(people).toMatchObject({ ok: true, people: [{ accountId: PEOPLE.dev1.accountId, displayName: 'Dana Kim' }] });
    const groups = await bed.call('settings', K.searchGroups, { query: 'demo-dev' }, 'sm');
    expect(groups).toMatchObject({ ok: true, groups: [{ groupId: GROUP_IDS.developers, name: 'demo-developers' }] });
    const roles = await bed.call('settings', K.listProjectRoles, {}, 'dev1');
    expect(roles.ok).toBe(true);
    expect(roles.projectRoles.map((r: { name: string }) => r.name).sort()).toEqual(['Administrators', 'Developers', 'Users']);
  });
});

(STORES_READY ? describe : describe.skip)('saving, with the storage adapters', () => {
  it('saves against a revision, and a lost race answers conflict with the stored version', async () => {
    const first = await bed.call('settings', K.getProjectSettings, {}, 'sm');
    expect(first.ok).toBe(true);
    const start = first.revision;
    const saved = await bed.call('settings', K.saveProjectSettings, { document: demoConfig(), expectedRevision: start }, 'sm');
    expect(saved).toMatchObject({ ok: true, revision: (start ?? 0) + 1 });
    // A second admin edited the version the first one started from.
    const document = { ...demoConfig(), rules: { 'backlog-rank': { mode: 'block' } } };
    const lost = await bed.call('settings', K.saveProjectSettings, { document, expectedRevision: start }, 'admin');
    expect(lost).toMatchObject({ ok: false, error: { code: 'conflict', current: { revision: saved.revision } } });
    const after = await bed.call('settings', K.getProjectSettings, {}, 'dev1');
    expect(after).toMatchObject({ ok: true, revision: saved.revision, canEdit: false });
  });
});
