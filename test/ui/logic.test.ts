import { RULE_IDS } from '../../src/core/catalogue';
import { frameContextFrom, unwrapAnswer, ResolverError } from '../../static/kit/bridge-pure';
import { niceTicks } from '../../static/kit/components';
import { dayBoundary, localeFromContext, formatRelative } from '../../static/kit/format';
import { auditDaysError, modeOf, placeIssues, sameConfig, toDraft, withMembers, withMode } from '../../static/settings/src/draft';
import { bucketTotals, filterErrors, perRuleSeries, toLogFilter, trendSentence, EMPTY_FILTER } from '../../static/violation-log/src/model';
import type { ChartsView } from '../../src/shared/resolver-api';

describe('resolver answers', () => {
  it('passes a success through and turns a refusal into a ResolverError with its field issues', () => {
    expect(unwrapAnswer({ ok: true, acknowledged: 2 })).toEqual({ ok: true, acknowledged: 2 });
    let caught: unknown;
    try {
      unwrapAnswer({ ok: false, error: { code: 'invalid-payload', message: 'bad note', issues: [{ path: 'note', message: 'expected a short note' }] } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ResolverError);
    expect((caught as ResolverError).code).toBe('invalid-payload');
    expect((caught as ResolverError).issues).toEqual([{ path: 'note', message: 'expected a short note' }]);
  });

  it('explains a refusal without a message in plain words', () => {
    expect(() => unwrapAnswer({ ok: false, error: { code: 'forbidden' } })).toThrow(/permission/);
  });

  it('reads the context of each surface, and survives a strange one', () => {
    const panel = frameContextFrom({ accountId: 'a-1', locale: 'de_DE', extension: { type: 'jira:issueContext', project: { key: 'DEMO', id: 10000 }, issue: { key: 'DEMO-3', id: '10003' } }, theme: { colorMode: 'dark' } });
    expect(panel).toMatchObject({ accountId: 'a-1', moduleType: 'jira:issueContext', projectKey: 'DEMO', projectId: '10000', issueKey: 'DEMO-3', colorMode: 'dark' });
    expect(frameContextFrom(null)).toMatchObject({ accountId: null, projectKey: null, issueKey: null });
    expect(frameContextFrom({ extension: 'nonsense' })).toMatchObject({ moduleType: null });
  });
});

describe('formatting', () => {
  it('turns Forge locales and time zones into Intl ones, with safe fallbacks', () => {
    expect(localeFromContext({ locale: 'de_DE', timezone: 'Europe/Berlin' })).toEqual({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    expect(localeFromContext({ locale: '!!', timezone: 'Mars/Olympus' })).toEqual({ locale: 'en-US', timeZone: undefined });
  });
  it('says how long ago', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(formatRelative('2026-03-07T12:00:00Z', now)).toBe('3 days ago');
    expect(formatRelative('2026-03-10T11:59:40Z', now)).toBe('this minute');
  });
  it('makes day boundaries from date inputs and refuses anything else', () => {
    expect(dayBoundary('2026-03-01', 'start')).toBe('2026-03-01T00:00:00.000Z');
    expect(dayBoundary('2026-03-01', 'end')).toBe('2026-03-01T23:59:59.999Z');
    expect(dayBoundary('2026-13-45', 'start')).toBeUndefined();
    expect(dayBoundary("1' OR 1=1", 'start')).toBeUndefined();
  });
  it('picks round axis ticks that cover the largest value', () => {
    expect(niceTicks(14)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(0)).toEqual([0]);
    const ticks = niceTicks(987);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(987);
  });
});

describe('the settings draft', () => {
  it('fills every role and drops unknown rules', () => {
    const draft = toDraft({ version: 1, roles: { productOwner: { users: ['po'], groups: [], projectRoles: [] } } as never, rules: { 'backlog-rank': { mode: 'block' }, 'no-such-rule': { mode: 'flag' } } as never, fields: {} });
    expect(Object.keys(draft.roles).sort()).toEqual(['developers', 'productOwner', 'scrumMaster', 'stakeholders']);
    expect(draft.rules).toEqual({ 'backlog-rank': { mode: 'block' } });
  });
  it('never sets block on a rule that cannot block, and keeps a chosen default explicit', () => {
    const draft = toDraft(null);
    expect(withMode(draft, 'item-create', 'block')).toBe(draft);
    const flagged = withMode(draft, 'backlog-rank', 'flag');
    expect(flagged.rules['backlog-rank']).toEqual({ mode: 'flag' });
    for (const id of RULE_IDS) expect(['off', 'flag', 'block']).toContain(modeOf(draft, id));
  });
  it('sees an edit and its undo', () => {
    const draft = toDraft(null);
    const edited = withMembers(draft, 'scrumMaster', 'users', ['sm', 'sm']);
    expect(edited.roles.scrumMaster.users).toEqual(['sm']);
    expect(sameConfig(draft, edited)).toBe(false);
    expect(sameConfig(draft, withMembers(edited, 'scrumMaster', 'users', []))).toBe(true);
    expect(sameConfig(draft, withMode(draft, 'backlog-rank', 'flag'))).toBe(true);
  });
  it('puts each complaint next to its field, and the rest in the banner', () => {
    const placed = placeIssues([
      { path: 'roles.productOwner.users[0]', message: 'expected an Atlassian account id' },
      { path: 'document.rules.item-create.mode', message: 'cannot block' },
      { path: 'days', message: 'expected at most 90 days' },
      { path: '(root)', message: 'expected a config object' },
      { path: 'version', message: 'expected 1' },
    ]);
    expect(placed.get('roles.productOwner.users')).toEqual(['expected an Atlassian account id']);
    expect(placed.get('rules.item-create')).toEqual(['cannot block']);
    expect(placed.get('days')).toEqual(['expected at most 90 days']);
    expect(placed.get('')).toEqual(['expected a config object', 'version: expected 1']);
  });
  it('checks the trial run days', () => {
    expect(auditDaysError('14')).toBeNull();
    expect(auditDaysError('0')).toMatch(/between 1 and 90/);
    expect(auditDaysError('91')).toMatch(/between 1 and 90/);
    expect(auditDaysError('two')).toMatch(/number of days/);
  });
});

describe('the violation log', () => {
  it('sends only what narrows the filter, and checks the dates', () => {
    expect(toLogFilter(EMPTY_FILTER)).toEqual({});
    expect(toLogFilter({ ...EMPTY_FILTER, rule: 'backlog-rank', role: 'none', status: 'open', from: '2026-03-01' })).toEqual({
      rules: ['backlog-rank'],
      roles: ['none'],
      statuses: ['open'],
      from: '2026-03-01T00:00:00.000Z',
    });
    expect(filterErrors({ ...EMPTY_FILTER, from: '2026-03-10', to: '2026-03-01' })).toEqual({ to: 'The end date comes before the start date.' });
    expect(filterErrors({ ...EMPTY_FILTER, from: 'yesterday' }).from).toBeDefined();
  });

  const charts: ChartsView = {
    bucket: 'sprint',
    buckets: [
      { key: '1', label: 'Sprint 1' },
      { key: '2', label: 'Sprint 2' },
      { key: '3', label: 'Sprint 3' },
    ],
    perRule: [
      { bucket: '1', rule: 'backlog-rank', count: 4 },
      { bucket: '2', rule: 'backlog-rank', count: 2 },
      { bucket: '2', rule: 'status-change', count: 1 },
      { bucket: '3', rule: 'priority-change', count: 1 },
    ],
    topPatterns: [],
    trend: [
      { bucket: '1', count: 4 },
      { bucket: '2', count: 3 },
      { bucket: '3', count: 1 },
    ],
    viewer: { accountId: 'sm', roles: ['scrumMaster'], scope: 'all', canAcknowledge: true },
  };

  it('makes one series per frequent rule and folds the rest into "Other rules"', () => {
    const { categories, series } = perRuleSeries(charts, 1);
    expect(categories).toEqual(['Sprint 1', 'Sprint 2', 'Sprint 3']);
    expect(series).toEqual([
      { name: expect.stringContaining('Product Backlog'), values: [4, 2, 0] },
      { name: 'Other rules', values: [0, 1, 1] },
    ]);
  });
  it('says which way the trend goes', () => {
    expect(bucketTotals(charts)).toEqual([4, 3, 1]);
    expect(trendSentence(charts)).toMatch(/^Going down: 1 in the latest sprint, against 3.5/);
    expect(trendSentence({ ...charts, trend: [{ bucket: '1', count: 0 }, { bucket: '3', count: 5 }] })).toMatch(/^Going up/);
    expect(trendSentence({ ...charts, buckets: [], trend: [] })).toBe('No sprints in this period yet.');
  });
});
