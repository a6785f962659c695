/**
 * The decisions that moved into the core: where a raw event goes (routeEvent), what an undo should do
 * given the item now (planUndo), and a violation's id and record (violationOf).
 */
import { normaliseEvent, type FieldChange, type IssueUpdatedEvent } from '../../src/core/events';
import { projectKeyOfIssueKey, routeEvent } from '../../src/core/routing';
import { planUndo, type ItemNow } from '../../src/core/undo';
import { violationId, violationOf } from '../../src/core/recording';
import { FIELDS, ITEMS, PEOPLE, sprintEvent, updated } from '../support/payloads';

describe('routeEvent', () => {
  it('reads the project from the work item, else from its key, and tells bursts of custom fields apart', () => {
    expect(routeEvent(updated(PEOPLE.sm, [ITEMS.rank()]))).toMatchObject({ kind: 'issue', projectKey: 'DEMO', customFieldChanged: true });
    expect(routeEvent(updated(PEOPLE.sm, [ITEMS.priority()]))).toMatchObject({ kind: 'issue', projectKey: 'DEMO', customFieldChanged: false });
    expect(routeEvent({ eventType: 'avi:jira:created:issue', issue: { id: '1', key: 'TEAM_2-14' } })).toMatchObject({ kind: 'issue', projectKey: 'TEAM_2', customFieldChanged: false });
    expect(routeEvent({ eventType: 'avi:jira:updated:issue', issue: { id: '1', key: 'no key' } })).toMatchObject({ kind: 'issue', projectKey: null });
    expect(projectKeyOfIssueKey('DEMO-12')).toBe('DEMO');
    expect(projectKeyOfIssueKey('demo-12')).toBeNull();
  });

  it('names the board of a sprint event, and leaves the app\'s own changes and other events alone', () => {
    expect(routeEvent(sprintEvent('started', PEOPLE.sm))).toMatchObject({ kind: 'sprint', boardId: '1' });
    expect(routeEvent({ ...updated(PEOPLE.sm, [ITEMS.rank()]), selfGenerated: true })).toEqual({ kind: 'ignored', reason: 'the app made this change' });
    expect(routeEvent({ eventType: 'avi:jira:deleted:issue' })).toMatchObject({ kind: 'ignored' });
    expect(routeEvent([1, 2])).toMatchObject({ kind: 'ignored', reason: 'not an event object' });
  });
});

function change(item: ReturnType<(typeof ITEMS)[keyof typeof ITEMS]>): { change: FieldChange; event: IssueUpdatedEvent } {
  const normalised = normaliseEvent(updated(PEOPLE.stakeholder, [item]), FIELDS);
  if (normalised.kind !== 'event' || normalised.event.kind !== 'issue-updated') throw new Error('not an update');
  return { change: normalised.event.changes[0]!, event: normalised.event };
}

const now = (over: Partial<ItemNow> = {}): ItemNow => ({ estimate: 5, priorityId: '2', assigneeId: null, sprints: [], changelog: [], ...over });
const context = { changelogId: '10500', fields: FIELDS, appAccountId: 'app-1' };

describe('planUndo', () => {
  it('writes the old value back while the new one stands, numbers compared as numbers', () => {
    expect(planUndo(change(ITEMS.priority()).change, now(), context)).toEqual({ kind: 'edit', fields: { priority: { id: '3' } } });
    expect(planUndo(change(ITEMS.estimate('3', '5')).change, now({ estimate: 5.0 }), context)).toEqual({ kind: 'edit', fields: { [FIELDS.estimate]: 3 } });
    expect(planUndo(change(ITEMS.estimate(null, '5')).change, now(), context)).toEqual({ kind: 'edit', fields: { [FIELDS.estimate]: null } });
    expect(planUndo(change(ITEMS.assignee(PEOPLE.dev2, PEOPLE.dev1)).change, now({ assigneeId: PEOPLE.dev2 }), context)).toEqual({ kind: 'edit', fields: { assignee: { accountId: PEOPLE.dev1 } } });
  });

  it('tells "undone before" (the value is back, or the app changed it since) from "moved on" (someone changed it since)', () => {
    const priority = change(ITEMS.priority()).change;
    expect(planUndo(priority, now({ priorityId: '3' }), context)).toEqual({ kind: 'already-undone' });
    expect(planUndo(priority, now({ priorityId: '4' }), context)).toMatchObject({ kind: 'skip' });
    expect(planUndo(priority, now({ changelog: [{ id: '10501', fieldIds: ['priority'], authorId: 'app-1' }] }), context)).toEqual({ kind: 'already-undone' });
    expect(planUndo(priority, now({ changelog: [{ id: '10501', fieldIds: ['priority'], authorId: 'app-1' }, { id: '10502', fieldIds: ['priority'], authorId: PEOPLE.po }] }), context)).toEqual({ kind: 'skip', reason: 'the item has changed again since' });
    // An older change, or one of another field, is no reason to stop.
    expect(planUndo(priority, now({ changelog: [{ id: '10499', fieldIds: ['priority'], authorId: PEOPLE.po }, { id: '10501', fieldIds: ['status'], authorId: PEOPLE.po }] }), context)).toMatchObject({ kind: 'edit' });
  });

  it('hands a rank back to the order the app knows, and takes an item out of the running sprint it was added to', () => {
    expect(planUndo(change(ITEMS.rank()).change, now(), context)).toEqual({ kind: 'rank-back', rankFieldId: FIELDS.rank, changelogId: '10500' });
    expect(planUndo(change(ITEMS.rank()).change, now(), { ...context, changelogId: null })).toMatchObject({ kind: 'skip' });
    const sprint = change(ITEMS.sprint('1', '1, 2')).change;
    expect(planUndo(sprint, now({ sprints: [{ id: '2', state: 'active' }] }), context)).toEqual({ kind: 'remove-from-sprint' });
    expect(planUndo(sprint, now({ sprints: [{ id: '2', state: 'closed' }] }), context)).toMatchObject({ kind: 'skip' });
  });
});

describe('violationOf', () => {
  it('keys a violation on the event and the rule, so every delivery of the event gets one id', () => {
    const { event, change: priority } = change(ITEMS.priority());
    expect(violationId(event, 'priority-change')).toBe('10500:priority-change');
    const record = violationOf(event, { projectKey: 'DEMO', rule: 'priority-change', mode: 'flag', outcome: 'flagged', roles: ['stakeholders'], change: priority, sprints: [{ id: '7', state: 'active' }], at: new Date('2026-11-10T10:00:00.000Z') });
    expect(record).toMatchObject({ id: '10500:priority-change', issueKey: 'DEMO-7', fromValue: '3', toValue: '2', fromText: 'Medium', toText: 'High', sprintId: '7', status: 'open' });
    expect(String(record)).toBe('[object Object]');
  });
});
