/** The pure parts of role health: classification, buckets, windows, reasons and role suggestions. */
import { bucketOf, classifyChange } from '../../src/core/accountability';
import type { DomainEvent, FieldChange } from '../../src/core/events';
import { countActions, sprintFigures, sprintHolding } from '../../src/core/role-health';
import { suggestRoleMap } from '../../src/core/role-suggest';

const change = (field: FieldChange['field'], from: string | null = null, to: string | null = null): FieldChange => ({ field, fieldId: field, from, to, fromText: from, toText: to });
const updated = (changes: FieldChange[], activeSprint: boolean): DomainEvent => ({
  kind: 'issue-updated',
  eventType: 'avi:jira:updated:issue',
  actor: 'a',
  selfGenerated: false,
  issue: { id: '1', key: 'DEMO-1', projectId: null, projectKey: 'DEMO', subtask: false, sprints: activeSprint ? [{ id: '1', state: 'active' }] : [] },
  changelogId: '1',
  changes,
});

describe('classifyChange', () => {
  it('counts each accountability once per entry, and a rank inside the active sprint not at all', () => {
    expect(classifyChange(updated([change('status'), change('status'), change('rank'), change('priority')], false)).map((c) => c.accountability)).toEqual(['status-update', 'backlog-order']);
    expect(classifyChange(updated([change('rank')], true))).toEqual([]);
    expect(classifyChange(updated([change('sprint', '1', '1, 2')], false)).map((c) => c.accountability)).toEqual(['sprint-scope']);
    expect(classifyChange(updated([change('sprint', '1, 2', '2, 1')], false))).toEqual([]);
  });
});

describe('bucketOf', () => {
  it('prefers a role the rule allows, else the first role held, else outside', () => {
    expect(bucketOf('status-update', ['scrumMaster', 'developers'])).toBe('developers');
    expect(bucketOf('backlog-order', ['scrumMaster', 'developers'])).toBe('scrumMaster');
    expect(bucketOf('estimate', [])).toBe('outside');
  });
});

describe('sprint figures', () => {
  it('files a change under the window that holds it and names off-role cells with a reason', () => {
    const sprints = [{ id: '1', name: 'S1', state: 'closed' as const, startDate: '2026-01-01T00:00:00Z', endDate: null, completeDate: '2026-01-14T00:00:00Z' }];
    expect(sprintHolding('2026-01-05T00:00:00Z', sprints, new Date('2026-02-01T00:00:00Z'))).toBe('1');
    expect(sprintHolding('2026-01-20T00:00:00Z', sprints, new Date('2026-02-01T00:00:00Z'))).toBeNull();
    const action = (bucket: 'scrumMaster' | 'developers') => ({ at: '2026-01-05T00:00:00Z', issueKey: 'DEMO-1', actor: 'x', accountability: 'status-update' as const, bucket, summary: 'Status: a → b' });
    const figures = sprintFigures(countActions([action('scrumMaster'), action('developers'), action('developers'), action('developers')]));
    expect(figures.offRole).toEqual([expect.objectContaining({ accountability: 'status-update', bucket: 'scrumMaster', count: 1, share: 0.25, reason: expect.stringMatching(/The Scrum Master .*once.*25%.*the Developers/s) })]);
    expect(figures.clerical).toEqual({ count: 1, byAccountability: { 'status-update': 1 } });
  });

  it('adds a later page of changes to the counts of an earlier one, leaving the earlier counts as they were', () => {
    const action = (bucket: 'scrumMaster' | 'developers') => ({ at: '2026-01-05T00:00:00Z', issueKey: 'DEMO-1', actor: 'x', accountability: 'estimate' as const, bucket, summary: 'Estimate: 1 → 2' });
    const first = countActions([action('developers')]);
    const both = countActions([action('developers'), action('scrumMaster')], first);
    expect(both.estimate).toEqual({ productOwner: 0, scrumMaster: 1, developers: 2, stakeholders: 0, outside: 0 });
    expect(first.estimate.developers).toBe(1);
  });
});

describe('suggestRoleMap', () => {
  it('suggests one Product Owner with most of the ordering, Developers by their work, nobody as Scrum Master', () => {
    const map = suggestRoleMap({ olivia: { 'backlog-order': 9, 'create-item': 4 }, dana: { 'status-update': 5 }, stella: { 'backlog-order': 1 }, sam: { 'status-update': 2 } });
    const of = (role: string) => map.find((s) => s.role === role)!;
    expect(of('productOwner')).toMatchObject({ accountIds: ['olivia'], reasons: [{ accountId: 'olivia', why: 'ordered the backlog 9 times of 10 (90%)' }] });
    expect(of('developers').accountIds).toEqual(['dana']);
    expect(of('scrumMaster').accountIds).toEqual([]);
    expect(of('stakeholders').accountIds).toEqual(['stella']);
    expect(suggestRoleMap({ a: { 'backlog-order': 3 }, b: { 'backlog-order': 3 } })[0]!.accountIds).toEqual([]);
  });

  it('keeps today’s Scrum Master out of the Developers and stakeholders, and says why', () => {
    const counts = { dana: { 'status-update': 5 }, sam: { 'status-update': 5, 'create-subtask': 1, 'create-item': 1 } };
    expect(suggestRoleMap(counts).find((s) => s.role === 'developers')!.accountIds).toEqual(['dana', 'sam']);
    const map = suggestRoleMap(counts, new Set(['sam']));
    const developers = map.find((s) => s.role === 'developers')!;
    expect(developers.accountIds).toEqual(['dana']);
    expect(developers.reasons.filter((r) => r.accountId === '').map((r) => r.why)).toEqual([expect.stringMatching(/^Today’s Scrum Master also made 6 changes of this kind/)]);
    expect(map.find((s) => s.role === 'stakeholders')!.accountIds).toEqual([]);
  });
});
