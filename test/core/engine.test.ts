import {
  directMembership,
  evaluate,
  normaliseEvent,
  parseConfigOrThrow,
  resolveRoles,
  RULE_IDS,
  transitionAttempt,
  withPreviousGoal,
  type DomainEvent,
  type EffectiveConfig,
  type RuleId,
} from '../../src/core';
import { baseConfig, created, FIELDS, ITEMS, PEOPLE, sprintEvent, updated } from '../support/payloads';

const ACTIVE = [{ id: 5, state: 'active' }];

function effective(overrides: Record<string, unknown> = {}): EffectiveConfig {
  return parseConfigOrThrow(baseConfig(overrides));
}

function event(raw: unknown, config = effective()): DomainEvent {
  const result = normaliseEvent(raw, config.config.fields);
  if (result.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

/** The rules broken by `raw` when `actor` does it, as the triggers judge it. */
function judge(raw: unknown, actor: string, config = effective()): RuleId[] {
  const roles = resolveRoles(config.config, directMembership(actor));
  return evaluate(event(raw, config), roles, config).map((v) => v.rule);
}

/** One row per rule: an event that triggers it, someone allowed and someone not. */
const CASES: { rule: RuleId; raw: (actor: string) => unknown; allowed: string[]; notAllowed: string[] }[] = [
  { rule: 'backlog-rank', raw: (a) => updated(a, [ITEMS.rank()], { sprints: [] }), allowed: [PEOPLE.po], notAllowed: [PEOPLE.sm, PEOPLE.dev1, PEOPLE.stakeholder, PEOPLE.outsider] },
  { rule: 'sprint-rank', raw: (a) => updated(a, [ITEMS.rank('lower')], { sprints: ACTIVE }), allowed: [PEOPLE.dev1, PEOPLE.po], notAllowed: [PEOPLE.sm, PEOPLE.stakeholder, PEOPLE.outsider] },
  { rule: 'status-change', raw: (a) => updated(a, [ITEMS.status()]), allowed: [PEOPLE.dev1, PEOPLE.dev2], notAllowed: [PEOPLE.po, PEOPLE.sm, PEOPLE.stakeholder, PEOPLE.outsider] },
  { rule: 'estimate-change', raw: (a) => updated(a, [ITEMS.estimate()]), allowed: [PEOPLE.dev2], notAllowed: [PEOPLE.po, PEOPLE.sm, PEOPLE.outsider] },
  { rule: 'assign-others', raw: (a) => updated(a, [ITEMS.assignee(PEOPLE.dev2)]), allowed: [PEOPLE.dev1], notAllowed: [PEOPLE.po, PEOPLE.sm, PEOPLE.stakeholder] },
  { rule: 'priority-change', raw: (a) => updated(a, [ITEMS.priority()]), allowed: [PEOPLE.po], notAllowed: [PEOPLE.dev1, PEOPLE.sm, PEOPLE.stakeholder] },
  { rule: 'item-create', raw: (a) => created(a), allowed: [PEOPLE.po, PEOPLE.dev1], notAllowed: [PEOPLE.sm, PEOPLE.stakeholder, PEOPLE.outsider] },
  { rule: 'subtask-create', raw: (a) => created(a, { subtask: true }), allowed: [PEOPLE.dev1], notAllowed: [PEOPLE.po, PEOPLE.sm, PEOPLE.stakeholder] },
  { rule: 'sprint-scope-add', raw: (a) => updated(a, [ITEMS.sprint('', '5')], { sprints: ACTIVE }), allowed: [PEOPLE.dev1, PEOPLE.po], notAllowed: [PEOPLE.sm, PEOPLE.stakeholder] },
  { rule: 'sprint-cancel', raw: (a) => sprintEvent('closed', a, { completeDate: '2026-11-16T11:00:00.000+0100' }), allowed: [PEOPLE.po], notAllowed: [PEOPLE.sm, PEOPLE.dev1, PEOPLE.stakeholder] },
  { rule: 'sprint-start-without-goal', raw: (a) => sprintEvent('started', a, { goal: '  ' }), allowed: [], notAllowed: [PEOPLE.po, PEOPLE.sm, PEOPLE.dev1] },
];

describe('each rule, both sides', () => {
  it('covers every rule of the catalogue (sprint-goal-change has its own tests)', () => {
    expect(new Set([...CASES.map((c) => c.rule), 'sprint-goal-change'])).toEqual(new Set(RULE_IDS));
  });

  for (const c of CASES) {
    describe(c.rule, () => {
      for (const actor of c.allowed) {
        it(`is kept by ${nameOf(actor)}`, () => expect(judge(c.raw(actor), actor)).toEqual([]));
      }
      for (const actor of c.notAllowed) {
        it(`is broken by ${nameOf(actor)}`, () => expect(judge(c.raw(actor), actor)).toEqual([c.rule]));
      }
    });
  }
});

function nameOf(accountId: string): string {
  return Object.entries(PEOPLE).find(([, id]) => id === accountId)?.[0] ?? accountId;
}

describe('verdicts', () => {
  it('carry the mode, the coaching message, its basis and what block does', () => {
    const config = effective({ rules: { 'backlog-rank': { mode: 'block' } } });
    const [verdict] = evaluate(event(updated(PEOPLE.sm, [ITEMS.rank()])), resolveRoles(config.config, directMembership(PEOPLE.sm)), config);
    expect(verdict).toMatchObject({ rule: 'backlog-rank', mode: 'block', blockAction: 'revert-rank' });
    expect(verdict!.message).toMatch(/Product Owner/);
    expect(verdict!.basis).toMatch(/Scrum Guide 2020/);
    expect(verdict!.change).toMatchObject({ field: 'rank', toText: 'Ranked higher' });
  });

  it('leave out rules in mode off', () => {
    const config = effective({ rules: { 'status-change': { mode: 'off' } } });
    expect(judge(updated(PEOPLE.sm, [ITEMS.status()]), PEOPLE.sm, config)).toEqual([]);
  });

  it('take each rule at its catalogue default when the config does not name it', () => {
    expect(effective().modes['backlog-rank']).toBe('flag');
  });
});

describe('actors and roles', () => {
  it('judges a person with several roles by any of them', () => {
    const config = effective({
      roles: { productOwner: { users: [PEOPLE.sm] }, scrumMaster: { users: [PEOPLE.sm] }, developers: { users: [PEOPLE.dev1] }, stakeholders: { users: [] } },
    });
    // Product Owner and Scrum Master at once: may rank the backlog, may not move work items.
    expect(judge(updated(PEOPLE.sm, [ITEMS.rank()]), PEOPLE.sm, config)).toEqual([]);
    expect(judge(updated(PEOPLE.sm, [ITEMS.status()]), PEOPLE.sm, config)).toEqual(['status-change']);
  });

  it('resolves roles through groups and project roles', () => {
    const config = effective({
      roles: {
        productOwner: { users: [], groups: ['g-po'] },
        scrumMaster: { users: [] },
        developers: { users: [], projectRoles: ['10001'] },
        stakeholders: { users: [] },
      },
    });
    const asGroupMember = resolveRoles(config.config, { accountId: PEOPLE.outsider, groupIds: ['g-po'], projectRoleIds: [] });
    expect([...asGroupMember]).toEqual(['productOwner']);
    const asRoleHolder = resolveRoles(config.config, { accountId: PEOPLE.outsider, groupIds: ['other'], projectRoleIds: ['10001'] });
    expect([...asRoleHolder]).toEqual(['developers']);
    expect(evaluate(event(updated(PEOPLE.outsider, [ITEMS.status()])), asRoleHolder, config)).toEqual([]);
  });

  it('treats someone in no role as outside the Scrum Team', () => {
    expect(resolveRoles(effective().config, directMembership(PEOPLE.outsider)).size).toBe(0);
    expect(judge(created(PEOPLE.outsider), PEOPLE.outsider)).toEqual(['item-create']);
  });

  it('never judges the app\'s own changes or changes without an actor', () => {
    const config = effective();
    const selfMade = event(updated(PEOPLE.sm, [ITEMS.status()], {}, { selfGenerated: true }));
    expect(evaluate(selfMade, new Set(), config)).toEqual([]);
    const noActor = event(updated(undefined, [ITEMS.status()]));
    expect(noActor.actor).toBeNull();
    expect(evaluate(noActor, new Set(), config)).toEqual([]);
  });
});

describe('changelogs', () => {
  it('gives one verdict per broken item when a changelog carries several', () => {
    const raw = updated(PEOPLE.stakeholder, [ITEMS.summary(), ITEMS.status(), ITEMS.priority(), ITEMS.estimate(), ITEMS.rank()]);
    expect(judge(raw, PEOPLE.stakeholder)).toEqual(['status-change', 'priority-change', 'estimate-change', 'backlog-rank']);
    // A Developer breaks only the Product Owner's rules in the same changelog.
    expect(judge(raw, PEOPLE.dev1)).toEqual(['priority-change', 'backlog-rank']);
  });

  it('recognises renamed and localised fields by their id', () => {
    const raw = updated(PEOPLE.stakeholder, [ITEMS.rank('higher', FIELDS.rank, 'Classement'), ITEMS.estimate('1', '8', FIELDS.estimate, "Points d'histoire")]);
    expect(judge(raw, PEOPLE.stakeholder)).toEqual(['backlog-rank', 'estimate-change']);
  });

  it('does not take a field for another because of its name when it has an id', () => {
    // A site field that happens to be called "Story Points" but is not the configured estimate field.
    const raw = updated(PEOPLE.stakeholder, [ITEMS.estimate('1', '2', 'customfield_99999', 'Story Points')]);
    expect(normaliseEvent(raw, FIELDS).kind).toBe('ignored');
  });

  it('falls back to the field name only when an item has no fieldId', () => {
    const raw = updated(PEOPLE.stakeholder, [ITEMS.rank('lower', undefined), ITEMS.estimate('3', '5', undefined, 'Story Points')]);
    expect(judge(raw, PEOPLE.stakeholder)).toEqual(['backlog-rank', 'estimate-change']);
  });

  it('recognises a rank change by Jira\'s own wording while the rank field is not configured yet', () => {
    const config = effective({ fields: {} });
    expect(judge(updated(PEOPLE.stakeholder, [ITEMS.rank('higher', 'customfield_12345', 'Rang')]), PEOPLE.stakeholder, config)).toEqual(['backlog-rank']);
  });

  it('ignores updates that touch no watched field', () => {
    expect(normaliseEvent(updated(PEOPLE.sm, [ITEMS.summary()]), FIELDS)).toMatchObject({ kind: 'ignored' });
  });

  it('accepts issueType (events) and issuetype (REST) alike', () => {
    expect(judge(created(PEOPLE.po, { subtask: true, typeKey: 'issueType' }), PEOPLE.po)).toEqual(['subtask-create']);
    expect(judge(created(PEOPLE.po, { subtask: true, typeKey: 'issuetype' }), PEOPLE.po)).toEqual(['subtask-create']);
  });
});

describe('backlog or sprint', () => {
  it('reads the active sprint from the Agile API\'s sprint field', () => {
    expect(judge(updated(PEOPLE.dev1, [ITEMS.rank()], { agileSprint: { id: 5, state: 'active' } }), PEOPLE.dev1)).toEqual([]);
    expect(judge(updated(PEOPLE.dev1, [ITEMS.rank()], { agileSprint: null }), PEOPLE.dev1)).toEqual(['backlog-rank']);
  });

  it('reads it from the configured sprint field, where closed and future sprints do not count', () => {
    expect(judge(updated(PEOPLE.dev1, [ITEMS.rank()], { sprints: [{ id: 3, state: 'closed' }, { id: 6, state: 'future' }] }), PEOPLE.dev1)).toEqual(['backlog-rank']);
    expect(judge(updated(PEOPLE.dev1, [ITEMS.rank()], { sprints: [{ id: 3, state: 'closed' }, { id: 5, state: 'active' }] }), PEOPLE.dev1)).toEqual([]);
  });

  it('takes an item as in the backlog when nothing says otherwise', () => {
    expect(judge(updated(PEOPLE.dev1, [ITEMS.rank()]), PEOPLE.dev1)).toEqual(['backlog-rank']);
  });

  it('flags a sprint scope change only when the item joined the active sprint', () => {
    expect(judge(updated(PEOPLE.sm, [ITEMS.sprint('', '6')], { sprints: [{ id: 6, state: 'future' }] }), PEOPLE.sm)).toEqual([]);
    expect(judge(updated(PEOPLE.sm, [ITEMS.sprint('5', '')], { sprints: [] }), PEOPLE.sm)).toEqual([]);
    expect(judge(updated(PEOPLE.sm, [ITEMS.sprint('3', '3, 5')], { sprints: [{ id: 3, state: 'closed' }, { id: 5, state: 'active' }] }), PEOPLE.sm)).toEqual(['sprint-scope-add']);
  });

  it('does not count unassigning or taking an item oneself as assigning others', () => {
    expect(judge(updated(PEOPLE.sm, [ITEMS.assignee(null, PEOPLE.dev1)]), PEOPLE.sm)).toEqual([]);
    expect(judge(updated(PEOPLE.sm, [ITEMS.assignee(PEOPLE.sm)]), PEOPLE.sm)).toEqual([]);
  });
});

describe('sprints', () => {
  it('counts a sprint closed on or after its end day as completed, not cancelled', () => {
    expect(judge(sprintEvent('closed', PEOPLE.sm, { completeDate: '2026-11-20T10:00:00.000+0100' }), PEOPLE.sm)).toEqual([]);
    expect(judge(sprintEvent('closed', PEOPLE.sm, { completeDate: '2026-11-21T10:00:00.000+0100' }), PEOPLE.sm)).toEqual([]);
  });

  it('flags a goal edited while the sprint runs, when the previous goal is known', () => {
    const config = effective();
    const raw = event(sprintEvent('updated', PEOPLE.po, { goal: 'Customers can pay' }));
    expect(evaluate(raw, new Set(['productOwner']), config)).toEqual([]);
    const withPrevious = { ...raw, previousGoal: 'Customers can log in' } as DomainEvent;
    expect(evaluate(withPrevious, new Set(['productOwner']), config).map((v) => v.rule)).toEqual(['sprint-goal-change']);
    const unchanged = { ...raw, previousGoal: ' Customers can pay ' } as DomainEvent;
    expect(evaluate(unchanged, new Set(['productOwner']), config)).toEqual([]);
  });

  it('reads the goal it replaced from oldValue: a goal in it is the old one, none means the goal did not change', () => {
    const config = effective();
    const edited = { ...sprintEvent('updated', PEOPLE.po, { goal: 'Customers can pay' }), oldValue: { goal: 'Customers can log in' } };
    expect(judge(edited, PEOPLE.po)).toEqual(['sprint-goal-change']);
    const datesOnly = { ...sprintEvent('updated', PEOPLE.po, { goal: 'Customers can pay' }), oldValue: { endDate: '2026-11-27T17:00:00.000+0100' } };
    expect(judge(datesOnly, PEOPLE.po)).toEqual([]);
    // oldValue wins over what a replayer remembered.
    const remembered = withPreviousGoal(event(datesOnly), new Map([['5', 'Something older']]));
    expect(evaluate(remembered, new Set(['productOwner']), config)).toEqual([]);
  });

  it('does not count writing a goal where there was none as a change of goal', () => {
    for (const before of [null, '', '  ']) {
      expect(judge({ ...sprintEvent('updated', PEOPLE.po, { goal: 'Customers can pay' }), oldValue: { goal: before } }, PEOPLE.po)).toEqual([]);
      const fallback = withPreviousGoal(event(sprintEvent('updated', PEOPLE.po, { goal: 'Customers can pay' })), new Map([['5', before]]));
      expect(evaluate(fallback, new Set(['productOwner']), effective())).toEqual([]);
    }
  });

  it('lets a future sprint\'s goal change freely', () => {
    const raw = { ...event(sprintEvent('updated', PEOPLE.sm, { goal: 'New', state: 'future' })), previousGoal: 'Old' } as DomainEvent;
    expect(evaluate(raw, new Set(), effective())).toEqual([]);
  });

  it('does not flag a sprint started with a goal', () => {
    expect(judge(sprintEvent('started', PEOPLE.sm, { goal: 'Ship the login' }), PEOPLE.sm)).toEqual([]);
  });
});

describe('the workflow validator asks the same engine', () => {
  it('refuses a transition by someone outside the Developers', () => {
    const config = effective({ rules: { 'status-change': { mode: 'block' } } });
    const normalised = event(updated(PEOPLE.sm, [ITEMS.status()]));
    if (normalised.kind !== 'issue-updated') throw new Error('unexpected');
    const attempt = transitionAttempt({ issue: normalised.issue, actor: PEOPLE.sm, fromStatus: '10000', toStatus: '3', attemptId: 'attempt-1' });
    expect(evaluate(attempt, resolveRoles(config.config, directMembership(PEOPLE.sm)), config)).toMatchObject([{ rule: 'status-change', mode: 'block', blockAction: 'refuse-transition' }]);
    expect(evaluate({ ...attempt, actor: PEOPLE.dev1 }, resolveRoles(config.config, directMembership(PEOPLE.dev1)), config)).toEqual([]);
  });
});
