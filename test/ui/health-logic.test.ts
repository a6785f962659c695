/**
 * The role health tab's logic and the suggestions' state, apart from the screen: shares, shades,
 * trends and their words, the drill-down's pages, and a suggestion taken into the settings draft.
 */
import { ACCOUNTABILITIES, HEALTH_BUCKETS, type Accountability, type HealthBucket } from '../../src/core/accountability';
import type { RoleHealthSprintView } from '../../src/shared/resolver-api';
import { initialSettings, INITIAL_SUGGEST, sameConfig, settingsReducer, suggestReducer, toDraft } from '../../static/settings/src/draft';
import {
  accountabilityTotal,
  cellShare,
  clericalText,
  guideRolesText,
  guideShares,
  healthReducer,
  INITIAL_HEALTH,
  shade,
  shownSprint,
  trendText,
  type HealthAction,
  type HealthCell,
  type HealthState,
} from '../../static/violation-log/src/health';

function sprint(id: string, counts: Partial<Record<Accountability, Partial<Record<HealthBucket, number>>>>): RoleHealthSprintView {
  const actions = Object.fromEntries(
    ACCOUNTABILITIES.map((a) => [a, Object.fromEntries(HEALTH_BUCKETS.map((b) => [b, counts[a]?.[b] ?? 0]))]),
  ) as RoleHealthSprintView['actions'];
  return { id, name: `Sprint ${id}`, state: 'closed', startDate: null, endDate: null, actions, offRole: [], clerical: { count: 0, byAccountability: {} } };
}

describe('role health figures', () => {
  const one = sprint('1', { 'status-update': { developers: 6, scrumMaster: 4 }, estimate: { productOwner: 1 } });
  const two = sprint('2', { 'status-update': { developers: 9, scrumMaster: 1 } });

  it('shares each cell of its accountability, and an accountability nobody did has none', () => {
    expect(accountabilityTotal(one, 'status-update')).toBe(10);
    expect(cellShare(one, 'status-update', 'scrumMaster')).toBe(0.4);
    expect(cellShare(one, 'assign', 'developers')).toBe(0);
  });

  it('shades in four steps, none for nothing', () => {
    expect([0, 0.1, 0.25, 0.5, 0.74, 0.75, 1].map(shade)).toEqual([0, 1, 2, 3, 3, 4, 4]);
  });

  it('follows the share the Scrum Guide’s roles held, sprint by sprint, and says how it moved', () => {
    expect(guideRolesText('status-update')).toBe('the Developers');
    expect(guideRolesText('create-item')).toBe('the Product Owner or the Developers');
    expect(guideShares([one, two], 'status-update')).toEqual([0.6, 0.9]);
    expect(guideShares([one, two], 'estimate')).toEqual([0, null]);
    expect(trendText([0.6, 0.9])).toBe('Up from 60% to 90%.');
    expect(trendText([0.9, null, 0.6])).toBe('Down from 90% to 60%.');
    expect(trendText([null, 0.5])).toBe('50% in the one sprint where it was done.');
    expect(trendText([null, null])).toBe('Nobody did this in these sprints.');
    expect(trendText([0.5, 0.5])).toBe('Steady at 50%.');
  });

  it('says the Scrum Master’s clerical work in words', () => {
    expect(clericalText({ 'status-update': 4, estimate: 1 })).toBe('4 status updates and 1 estimate');
    expect(clericalText({ assign: 2, 'create-subtask': 1, 'status-update': 1 })).toBe('1 status update, 2 assignments and 1 sub-task created');
  });

  it('shows the sprint picked while it is still counted, else the newest', () => {
    expect(shownSprint([one, two], null)).toBe(two);
    expect(shownSprint([one, two], '1')).toBe(one);
    expect(shownSprint([one, two], 'gone')).toBe(two);
    expect(shownSprint([], null)).toBeNull();
  });
});

describe('the role health tab, step by step', () => {
  const run = (state: HealthState, ...actions: HealthAction[]) => actions.reduce(healthReducer, state);
  const cell: HealthCell = { sprintId: '1', accountability: 'status-update', bucket: 'scrumMaster' };
  const change = (n: number) => ({ at: `2026-03-0${n}T10:00:00Z`, issueKey: `DEMO-${n}`, actor: 'sam', summary: 'Status: To Do → In Progress' });

  it('pages through a cell’s changes, and drops an answer for a cell no longer open', () => {
    const opened = run(INITIAL_HEALTH, { type: 'open-cell', cell });
    expect(opened.drill).toMatchObject({ loading: true, changes: [] });
    const first = run(opened, { type: 'changes', cell, changes: [change(1)], next: 'c2', append: false });
    const more = run(first, { type: 'more-changes' }, { type: 'changes', cell, changes: [change(2)], next: null, append: true });
    expect(more.drill).toMatchObject({ loading: false, next: null });
    expect(more.drill!.changes.map((c) => c.issueKey)).toEqual(['DEMO-1', 'DEMO-2']);
    const other = { ...cell, bucket: 'developers' as const };
    const late = run(more, { type: 'open-cell', cell: other }, { type: 'changes', cell, changes: [change(3)], next: null, append: false });
    expect(late.drill).toMatchObject({ cell: other, changes: [], loading: true });
  });

  it('closes the drill-down when another sprint or number of sprints is chosen, within 1 to 12', () => {
    const opened = run(INITIAL_HEALTH, { type: 'open-cell', cell });
    expect(run(opened, { type: 'pick-sprint', sprintId: '2' })).toMatchObject({ sprintId: '2', drill: null });
    expect(run(opened, { type: 'sprints', sprints: 40 })).toMatchObject({ sprints: 12, drill: null });
    expect(run(opened, { type: 'sprints', sprints: 0 }).sprints).toBe(1);
  });
});

describe('suggested roles and the settings draft', () => {
  const view = {
    document: toDraft({ version: 1, roles: { productOwner: { users: [], groups: ['po-group'], projectRoles: [] } } as never, rules: {}, fields: {} }),
    revision: 3,
    updatedAt: null,
    updatedBy: null,
  };

  it('puts a used suggestion in the unsaved draft only: the role’s people replaced, its groups kept, nothing saved', () => {
    const start = initialSettings(view);
    const used = settingsReducer(start, { type: 'use-suggestion', role: 'productOwner', accountIds: ['olivia'] });
    expect(used.draft.roles.productOwner).toEqual({ users: ['olivia'], groups: ['po-group'], projectRoles: [] });
    expect(used.saved).toBe(start.saved);
    expect(sameConfig(used.draft, used.saved.config)).toBe(false);
    expect(used.announcement).toMatch(/Nothing is saved until you save/);
    // Discarding takes it back out, as with any edit.
    expect(sameConfig(settingsReducer(used, { type: 'discard' }).draft, start.saved.config)).toBe(true);
  });

  it('remembers what was decided per role, and a new run starts afresh', () => {
    const decided = suggestReducer(suggestReducer(INITIAL_SUGGEST, { type: 'suggest' }), { type: 'decide', role: 'productOwner', decision: 'used' });
    expect(decided).toEqual({ run: 1, decided: { productOwner: 'used' } });
    expect(suggestReducer(decided, { type: 'suggest' })).toEqual({ run: 2, decided: {} });
  });
});
