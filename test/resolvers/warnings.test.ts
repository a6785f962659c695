/**
 * Settings warnings as data: the core says whom or what each concerns (`accountIds`, `role`,
 * counts) beside its words, and the page says the same words from that data with people's names,
 * instead of picking account ids out of the words.
 */
import { configWarnings, parseConfigOrThrow } from '../../src/core/config';
import { warningWords } from '../../src/core/warnings';

const config = (roles: Record<string, unknown>, rules: Record<string, unknown> = {}) => parseConfigOrThrow({ version: 1, roles, rules }).config;
const NAMES = new Map([
  ['712020:aa000000-0000-4000-8000-000000000001', 'Olivia Owen'],
  ['qa7', 'Sam Rivera'],
  ['accountabilities', 'Ann Lee'],
]);
const nameOf = (id: string): string => NAMES.get(id) ?? id;

describe('settings warnings', () => {
  it('carry the people and the role they concern', () => {
    const warnings = configWarnings(config({ productOwner: { users: ['qa7'] }, scrumMaster: { users: ['qa7'] }, developers: { users: ['d1'] } }));
    expect(warnings).toEqual([
      {
        code: 'po-is-sm',
        path: 'roles',
        accountIds: ['qa7'],
        message: 'qa7 is both Product Owner and Scrum Master; the two accountabilities pull in different directions and are best held by different people',
      },
      { code: 'empty-role', path: 'roles.stakeholders', role: 'stakeholders', message: 'nobody is in Stakeholders yet' },
    ]);
  });

  it('carry what the platform told: how many status changes went unjudged, since when', () => {
    const blocking = config({ productOwner: { users: ['p'] }, scrumMaster: { users: ['s'] }, developers: { users: ['d'] }, stakeholders: { users: ['x'] } }, { 'status-change': { mode: 'block' } });
    expect(configWarnings(blocking, undefined, { unknownActors: { count: 2, since: '2026-03-01T09:30:00.000Z' } })).toEqual([
      {
        code: 'status-check-blind',
        path: 'rules.status-change',
        count: 2,
        since: '2026-03-01T09:30:00.000Z',
        message:
          'Jira did not say who made 2 status change(s) since 2026-03-01, so the app let them through. Add "Scrum Role Guard status rule (by role)" to those transitions: Jira checks it with the person moving the work item',
      },
    ]);
  });

  it('are said with names from the data, whatever the account ids look like', () => {
    // Any 1 to 128 of [A-Za-z0-9:_-] is an account id to the config, so words cannot tell an id
    // from a word: a short id, or one that is a word of the message, is named all the same.
    for (const [id, name] of [
      ['qa7', 'Sam Rivera'],
      ['712020:aa000000-0000-4000-8000-000000000001', 'Olivia Owen'],
      ['accountabilities', 'Ann Lee'],
    ]) {
      const [warning] = configWarnings(config({ productOwner: { users: [id] }, scrumMaster: { users: [id] } }));
      expect(warningWords(warning!, nameOf)).toBe(`${name} is both Product Owner and Scrum Master; the two accountabilities pull in different directions and are best held by different people`);
    }
  });

  it('say by default what the resolvers answer (account ids, for the CLI)', () => {
    const warnings = configWarnings(config({ productOwner: { users: ['qa7'] }, scrumMaster: { users: ['qa7'] } }), undefined, { publishedTooLarge: true });
    for (const warning of warnings) expect(warningWords(warning)).toBe(warning.message);
  });
});
