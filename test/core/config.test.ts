import { configWarnings, defaultConfig, MAX_MEMBERS_PER_LIST, parseConfig, parseConfigOrThrow, RULE_IDS } from '../../src/core';
import { baseConfig, PEOPLE } from '../support/payloads';

function errorsOf(input: unknown): string[] {
  const result = parseConfig(input);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('config version 1', () => {
  it('accepts the documented example and fills defaults', () => {
    const result = parseConfig({
      version: 1,
      roles: {
        productOwner: { users: [PEOPLE.po], groups: ['5b1c0d2e-aaaa-bbbb-cccc-000000000001'], projectRoles: ['10002'] },
        scrumMaster: { users: [] },
        developers: { users: [] },
        stakeholders: { users: [] },
      },
      fields: { rank: 'customfield_10019', estimate: 'customfield_10016', sprint: 'customfield_10020' },
      rules: { 'backlog-rank': { mode: 'block' }, 'priority-change': { mode: 'off' } },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.effective.config.roles.scrumMaster).toEqual({ users: [], groups: [], projectRoles: [] });
    expect(result.effective.modes['backlog-rank']).toBe('block');
    expect(result.effective.modes['priority-change']).toBe('off');
    expect(result.effective.modes['status-change']).toBe('flag');
    expect(Object.keys(result.effective.modes)).toEqual([...RULE_IDS]);
  });

  it('makes fields and rules optional', () => {
    expect(parseConfig({ version: 1, roles: { productOwner: { users: [] } } }).ok).toBe(true);
    expect(defaultConfig()).toMatchObject({ version: 1, fields: {}, rules: {} });
  });

  it('names the path of every error', () => {
    expect(errorsOf({ version: 2, roles: {} })).toEqual(['version: expected 1 (the only config version there is)']);
    expect(errorsOf({ version: 1, roles: { productOwner: { users: ['ok', 42] } } })).toEqual(['roles.productOwner.users[1]: expected an account id (a string)']);
    expect(errorsOf({ version: 1, roles: { owner: { users: [] } } })).toEqual([
      'roles.owner: unknown key; expected one of productOwner, scrumMaster, developers, stakeholders',
    ]);
    expect(errorsOf({ version: 1, roles: {}, rules: { 'no-such-rule': { mode: 'flag' } } })[0]).toMatch(/^rules\.no-such-rule: unknown rule id/);
    expect(errorsOf({ version: 1, roles: {}, rules: { 'status-change': { mode: 'stop' } } })).toEqual(['rules.status-change.mode: expected "off", "flag" or "block"']);
    expect(errorsOf({ version: 1, roles: {}, fields: { rank: 'Rank' } })).toEqual(['fields.rank: expected a Jira field id such as "customfield_10019"']);
    expect(errorsOf({ version: 1, roles: { developers: { users: [], projectRoles: ['Developers'] } } })).toEqual([
      'roles.developers.projectRoles[0]: expected a project role id (a string of digits)',
    ]);
    expect(errorsOf('not an object')).toEqual(['(root): expected a config object']);
  });

  it('refuses block on a rule that cannot block', () => {
    expect(errorsOf(baseConfig({ rules: { 'item-create': { mode: 'block' } } }))[0]).toMatch(/^rules\.item-create\.mode: rule "item-create" cannot block/);
    for (const id of ['sprint-goal-change', 'sprint-cancel', 'sprint-start-without-goal', 'subtask-create']) {
      expect(parseConfig(baseConfig({ rules: { [id]: { mode: 'block' } } })).ok).toBe(false);
    }
    for (const id of ['backlog-rank', 'sprint-rank', 'status-change', 'estimate-change', 'assign-others', 'priority-change', 'sprint-scope-add']) {
      expect(parseConfig(baseConfig({ rules: { [id]: { mode: 'block' } } })).ok).toBe(true);
    }
  });

  it('refuses unknown keys anywhere, so a typo is never silently ignored', () => {
    expect(errorsOf(baseConfig({ extra: true }))).toEqual(['extra: unknown key; expected one of version, roles, fields, rules']);
    expect(errorsOf({ version: 1, roles: { developers: { users: [], group: ['x'] } } })).toEqual([
      'roles.developers.group: unknown key; expected one of users, groups, projectRoles',
    ]);
  });

  it('caps member lists with a message that says what to do instead', () => {
    const many = Array.from({ length: MAX_MEMBERS_PER_LIST + 1 }, (_, i) => `acc-${i}`);
    expect(errorsOf({ version: 1, roles: { developers: { users: many } } })[0]).toMatch(/^roles\.developers\.users: .*group or project role/);
  });

  it('warns about one person as Product Owner and Scrum Master, and about empty roles', () => {
    const result = parseConfig({ version: 1, roles: { productOwner: { users: [PEOPLE.po] }, scrumMaster: { users: [PEOPLE.po] }, developers: { users: [PEOPLE.dev1] } } });
    if (!result.ok) throw new Error('unexpected');
    expect(result.warnings.map((w) => `${w.code} ${w.path}`)).toEqual(['po-is-sm roles', 'empty-role roles.stakeholders']);
  });

  it('sees through groups when the resolved members are known', () => {
    const config = defaultConfig();
    const warnings = configWarnings(config, { productOwner: ['a'], scrumMaster: ['a', 'b'], developers: ['c'], stakeholders: ['d'] });
    expect(warnings.map((w) => w.code)).toEqual(['po-is-sm']);
  });
});

describe('warnings from what the platform tells', () => {
  const blocking = parseConfigOrThrow({ version: 1, roles: { developers: { users: ['dev-1'] } }, rules: { 'status-change': { mode: 'block' } } }).config;
  const flagging = parseConfigOrThrow({ version: 1, roles: { developers: { users: ['dev-1'] } } }).config;
  const codes = (config: typeof blocking, facts: Parameters<typeof configWarnings>[2]) => configWarnings(config, undefined, facts).map((w) => w.code).filter((c) => c !== 'empty-role');

  it('warns when the status check let changes through for want of a name, only while it blocks', () => {
    expect(codes(blocking, { unknownActors: { count: 3, since: '2026-11-20T10:00:00.000Z' } })).toEqual(['status-check-blind']);
    expect(codes(flagging, { unknownActors: { count: 3, since: '2026-11-20T10:00:00.000Z' } })).toEqual([]);
  });

  it('says that status changes are only flagged in a team-managed project, and why', () => {
    const warnings = configWarnings(blocking, undefined, { teamManaged: true }).filter((w) => w.code === 'flag-only-here');
    expect(warnings).toEqual([expect.objectContaining({ path: 'rules.status-change', message: expect.stringContaining('team-managed') })]);
  });

  it('warns when the settings are too large for the property Jira reads', () => {
    expect(codes(flagging, { publishedTooLarge: true })).toEqual(['status-check-unpublished']);
  });
});
