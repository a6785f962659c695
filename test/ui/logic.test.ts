import { RULE_IDS } from '../../src/core/catalogue';
import { frameContextFrom, unwrapAnswer, ResolverError } from '../../static/kit/bridge-pure';
import { niceTicks } from '../../static/kit/components';
import { dayBoundary, localeFromContext, formatRelative } from '../../static/kit/format';
import { learn, peopleOf, personName } from '../../static/kit/people';
import {
  auditDaysError,
  initialSettings,
  INITIAL_TRIAL,
  modeOf,
  placeIssues,
  sameConfig,
  settingsReducer,
  toDraft,
  trialReducer,
  trialRunning,
  withMembers,
  withMode,
  type SettingsAction,
  type SettingsState,
} from '../../static/settings/src/draft';
import {
  bucketTotals,
  currentCursor,
  filterErrors,
  INITIAL_LOG,
  logReducer,
  pageNumber,
  perRuleSeries,
  toLogFilter,
  trendSentence,
  EMPTY_FILTER,
  type LogAction,
  type LogState,
} from '../../static/violation-log/src/model';
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

describe('the people a page knows', () => {
  const olivia = { accountId: 'po', displayName: 'Olivia Owen', avatarUrl: null, active: true };
  const sam = { accountId: 'sm', displayName: 'Sam Rivera', avatarUrl: null, active: true };

  it('says a name, and "a former user" for an account Jira no longer has, never its id', () => {
    const people = peopleOf([olivia]);
    expect(personName(people, 'po')).toBe('Olivia Owen');
    expect(personName(people, 'gone-123')).toBe('A former user');
    expect(personName(people, 'gone-123', 'in a sentence')).toBe('a former user');
  });

  it('learns from an answer, and keeps the same map when the answer brings nothing new (so nothing renders again)', () => {
    const key = (p: typeof olivia) => p.accountId;
    const same = (a: typeof olivia, b: typeof olivia) => a.displayName === b.displayName;
    const known = learn(new Map(), [olivia], key, same);
    expect(learn(known, [{ ...olivia }], key, same)).toBe(known);
    expect(learn(known, [], key, same)).toBe(known);
    const more = learn(known, [sam], key, same);
    expect([...more.keys()]).toEqual(['po', 'sm']);
    expect(known.has('sm')).toBe(false);
    expect(learn(more, [{ ...olivia, displayName: 'Olivia Owen-Reyes' }], key, same).get('po')!.displayName).toBe('Olivia Owen-Reyes');
  });
});

describe('the settings page, step by step', () => {
  const view = {
    document: toDraft({ version: 1, roles: { productOwner: { users: ['po'], groups: [], projectRoles: [] } } as never, rules: { 'backlog-rank': { mode: 'block' } }, fields: {} }),
    revision: 3,
    updatedAt: '2026-03-01T10:00:00.000Z',
    updatedBy: 'alex',
  };
  const run = (state: SettingsState, ...actions: SettingsAction[]) => actions.reduce(settingsReducer, state);
  const edited = (state: SettingsState) => withMembers(state.draft, 'scrumMaster', 'users', ['sm']);

  it('starts from what is saved, on the roles tab, with nothing unsaved', () => {
    const state = initialSettings(view);
    expect(state.tab).toBe('roles');
    expect(state.saved).toMatchObject({ revision: 3, updatedBy: 'alex' });
    expect(sameConfig(state.draft, state.saved.config)).toBe(true);
  });

  it('edits the draft, and a discard goes back to what is saved', () => {
    const start = initialSettings(view);
    const changed = run(start, { type: 'edit', draft: edited(start) });
    expect(sameConfig(changed.draft, changed.saved.config)).toBe(false);
    const discarded = run(changed, { type: 'discard' });
    expect(sameConfig(discarded.draft, discarded.saved.config)).toBe(true);
    expect(discarded.announcement).toBe('Your changes were discarded.');
  });

  it('saves the draft that was sent, even when it was edited again while saving', () => {
    const start = initialSettings(view);
    const sent = edited(start);
    const later = withMode(sent, 'status-change', 'block');
    const saving = run(start, { type: 'edit', draft: sent }, { type: 'save-started' }, { type: 'edit', draft: later });
    expect(saving.saving).toBe(true);
    const done = run(saving, { type: 'saved', config: sent, revision: 4, updatedAt: '2026-03-02T10:00:00.000Z', updatedBy: 'olivia' });
    expect(done).toMatchObject({ saving: false, theirs: null, announcement: 'Settings saved.', saved: { revision: 4, updatedBy: 'olivia' } });
    expect(done.saved.config).toBe(sent);
    // The edit made while saving is still unsaved.
    expect(sameConfig(done.draft, done.saved.config)).toBe(false);
  });

  it('on a conflict keeps what was typed and holds their version; loading it sets the typed changes aside', () => {
    const start = run(initialSettings(view), { type: 'edit', draft: edited(initialSettings(view)) }, { type: 'save-started' });
    const current = { document: toDraft(null), revision: 5, updatedAt: '2026-03-03T10:00:00.000Z', updatedBy: 'olivia' };
    const conflict = run(start, { type: 'save-failed', failure: new ResolverError('Someone else saved in the meantime.', 'conflict', [], { ok: false, error: { code: 'conflict', current } }) });
    expect(conflict).toMatchObject({ saving: false, theirs: current, saveError: null });
    expect(conflict.draft).toBe(start.draft);
    expect(conflict.announcement).toMatch(/^Not saved: someone else saved/);
    const loaded = run(conflict, { type: 'load-theirs' });
    expect(loaded).toMatchObject({ theirs: null, saved: { revision: 5, updatedBy: 'olivia' }, announcement: 'Their version is loaded; your changes were set aside.' });
    expect(sameConfig(loaded.draft, toDraft(null))).toBe(true);
    expect(sameConfig(loaded.draft, loaded.saved.config)).toBe(true);
    // A conflict that does not say what is stored keeps the saved version, with no revision to save over.
    expect(run(start, { type: 'save-failed', failure: new ResolverError('Someone else saved in the meantime.', 'conflict') }).theirs).toMatchObject({ revision: null, updatedBy: null });
  });

  it('puts the complaints about fields next to them, opens the tab they are on, and an edit clears them', () => {
    const start = run(initialSettings(view), { type: 'select-tab', tab: 'try' }, { type: 'save-started' });
    const refused = run(start, {
      type: 'save-failed',
      failure: new ResolverError('invalid', 'invalid-config', [
        { path: 'document.rules.item-create.mode', message: 'cannot block' },
        { path: 'roles.productOwner.users[0]', message: 'expected an Atlassian account id' },
      ]),
    });
    expect(refused.tab).toBe('rules');
    expect(refused.issues.get('rules.item-create')).toEqual(['cannot block']);
    expect(refused.announcement).toBe('Not saved: 2 problems to fix, shown next to the fields.');
    const rolesOnly = run(start, { type: 'save-failed', failure: new ResolverError('invalid', 'invalid-config', [{ path: 'roles.developers.groups[1]', message: 'no such group' }]) });
    expect(rolesOnly.tab).toBe('roles');
    const bannerOnly = run(start, { type: 'save-failed', failure: new ResolverError('invalid', 'invalid-config', [{ path: 'version', message: 'expected 1' }]) });
    expect(bannerOnly.tab).toBe('try');
    expect(run(refused, { type: 'edit', draft: refused.draft }).issues.size).toBe(0);
  });

  it('says any other failure in its own words, and keeps it for the banner', () => {
    const failed = run(initialSettings(view), { type: 'save-started' }, { type: 'save-failed', failure: new Error('Jira is busy right now.') });
    expect(failed).toMatchObject({ saving: false, announcement: 'Not saved: Jira is busy right now.' });
    expect(failed.saveError).toBeInstanceOf(Error);
    expect(run(failed, { type: 'save-started' }).saveError).toBeNull();
  });
});

describe('"Try it first", step by step', () => {
  const running = { auditId: 'a-1', state: 'running', days: 14, since: '2026-03-01T00:00:00.000Z', processed: 2, total: 9, eventsReplayed: 4, error: null, byRule: [], byPerson: [], findings: [], findingsTruncated: false, notJudged: [], people: [] } as const;

  it('starts clean, follows the run, and knows when it is over', () => {
    const started = [{ type: 'days', days: '30' } as const, { type: 'start' } as const].reduce(trialReducer, { ...INITIAL_TRIAL, error: new Error('earlier'), daysError: 'earlier' });
    expect(started).toMatchObject({ days: '30', starting: true, error: null, daysError: null, status: null });
    const first = trialReducer(started, { type: 'progress', status: running });
    expect(first.starting).toBe(false);
    expect(trialRunning(first.status)).toBe(true);
    expect(trialRunning(trialReducer(first, { type: 'progress', status: { ...running, state: 'done' } }).status)).toBe(false);
    expect(trialRunning(null)).toBe(false);
  });

  it('puts a complaint about the days next to them, and anything else in the banner', () => {
    expect(trialReducer(INITIAL_TRIAL, { type: 'days-refused', message: 'Choose between 1 and 90 days.' }).daysError).toBe('Choose between 1 and 90 days.');
    const started = trialReducer(INITIAL_TRIAL, { type: 'start' });
    const days = trialReducer(started, { type: 'failed', failure: new ResolverError('invalid', 'invalid-payload', [{ path: 'days', message: 'expected at most 90' }]) });
    expect(days).toMatchObject({ daysError: 'expected at most 90', error: null, starting: false });
    const other = trialReducer(started, { type: 'failed', failure: new Error('Jira is busy right now.') });
    expect(other).toMatchObject({ daysError: null, starting: false });
    expect(other.error).toBeInstanceOf(Error);
  });
});

describe('the violation log page, step by step', () => {
  const run = (state: LogState, ...actions: LogAction[]) => actions.reduce(logReducer, state);

  it('edits the filter without applying it; applying starts on the first page with nothing selected', () => {
    const browsing = run(INITIAL_LOG, { type: 'next-page', cursor: 'c2' }, { type: 'select', selected: new Set(['v1']) }, { type: 'edit-filter', change: { rule: 'backlog-rank' } });
    expect(browsing.form.rule).toBe('backlog-rank');
    expect(browsing.applied).toBe(EMPTY_FILTER);
    expect(pageNumber(browsing)).toBe(2);
    const applied = run(browsing, { type: 'apply-filter' });
    expect(applied.applied).toEqual({ ...EMPTY_FILTER, rule: 'backlog-rank' });
    expect(applied).toMatchObject({ cursors: [null], selected: new Set() });
    expect(currentCursor(applied)).toBeNull();
  });

  it('does not apply a filter with a bad date, and clearing empties both the bar and the filter', () => {
    const bad = run(INITIAL_LOG, { type: 'edit-filter', change: { from: '2026-03-10', to: '2026-03-01' } });
    expect(run(bad, { type: 'apply-filter' })).toBe(bad);
    const applied = run(INITIAL_LOG, { type: 'edit-filter', change: { status: 'open' } }, { type: 'apply-filter' }, { type: 'edit-filter', change: { mode: 'block' } });
    const cleared = run(applied, { type: 'clear-filter' });
    expect(cleared.form).toBe(EMPTY_FILTER);
    expect(cleared.applied).toBe(EMPTY_FILTER);
  });

  it('pages forward and back by cursor; a new sort starts on the first page and keeps the selection', () => {
    const third = run(INITIAL_LOG, { type: 'next-page', cursor: 'c2' }, { type: 'next-page', cursor: 'c3' }, { type: 'select', selected: new Set(['v1']) });
    expect(currentCursor(third)).toBe('c3');
    const second = run(third, { type: 'previous-page' });
    expect([pageNumber(second), currentCursor(second)]).toEqual([2, 'c2']);
    const first = run(second, { type: 'previous-page' });
    expect(run(first, { type: 'previous-page' })).toBe(first);
    const sorted = run(third, { type: 'sort', sort: { by: 'issueKey', direction: 'asc' } });
    expect(sorted).toMatchObject({ sort: { by: 'issueKey', direction: 'asc' }, cursors: [null], selected: new Set(['v1']) });
  });

  it('reads out what a page found, and what was marked as talked through', () => {
    const second = run(INITIAL_LOG, { type: 'next-page', cursor: 'c2' }, { type: 'page-loaded', total: 26 });
    expect(second.announcement).toBe('26 entries match; page 2.');
    expect(run(INITIAL_LOG, { type: 'page-loaded', total: 0 }).announcement).toBe('No entries match.');
    const done = run(INITIAL_LOG, { type: 'select', selected: new Set(['v1', 'v2']) }, { type: 'acknowledged', count: 2 });
    expect(done).toMatchObject({ selected: new Set(), announcement: '2 entries marked as talked through.' });
  });

  it('follows an export: busy, then what it holds (and when the filter matched more), or what went wrong', () => {
    const failed = run(INITIAL_LOG, { type: 'export-started' }, { type: 'export-failed', error: new Error('no') });
    expect(failed.exporting).toBe(false);
    expect(failed.exportError).toBeInstanceOf(Error);
    const again = run(failed, { type: 'export-started' });
    expect(again).toMatchObject({ exporting: true, exportError: null });
    expect(run(again, { type: 'exported', rowCount: 1, truncated: false }).announcement).toBe('Exported 1 entry.');
    expect(run(again, { type: 'exported', rowCount: 5000, truncated: true }).announcement).toBe(
      'Exported the first 5000 entries; the filter matches more. Narrow it (a date range, say) for the rest.',
    );
  });

  it('groups the charts by sprint or week', () => {
    expect(INITIAL_LOG.bucket).toBe('sprint');
    expect(run(INITIAL_LOG, { type: 'group-by', bucket: 'week' }).bucket).toBe('week');
  });
});
