/** The violation log's logic apart from the screen: the page's state (its tabs, filters, paging) and chart data. */
import type { ChartsView, ViolationFilterPayload, ViolationSortPayload } from '../../../src/shared/resolver-api';
import { NO_SPRINT_KEY } from '../../../src/shared/words';
import { dayBoundary, formatDate, plural, type Locale } from '../../kit/format';
import { ruleTitle, type RoleKey, type RuleId } from '../../kit/labels';

/** What the filter bar holds: one choice per field ('' = any), dates as yyyy-mm-dd. */
export interface FilterForm {
  rule: string;
  actor: string;
  role: '' | RoleKey | 'none';
  mode: '' | 'flag' | 'block';
  status: '' | 'open' | 'acknowledged';
  from: string;
  to: string;
}

export const EMPTY_FILTER: FilterForm = { rule: '', actor: '', role: '', mode: '', status: '', from: '', to: '' };

export function filterErrors(form: FilterForm): Partial<Record<'from' | 'to', string>> {
  const errors: Partial<Record<'from' | 'to', string>> = {};
  if (form.from && !dayBoundary(form.from, 'start')) errors.from = 'Enter a date such as 2026-03-01.';
  if (form.to && !dayBoundary(form.to, 'end')) errors.to = 'Enter a date such as 2026-03-31.';
  if (!errors.from && !errors.to && form.from && form.to && form.from > form.to) errors.to = 'The end date comes before the start date.';
  return errors;
}

/** The filter as the resolver takes it: only the fields that narrow anything. */
export function toLogFilter(form: FilterForm): ViolationFilterPayload {
  const filter: NonNullable<ViolationFilterPayload> = {};
  if (form.rule) filter.rules = [form.rule as RuleId];
  if (form.actor) filter.actors = [form.actor];
  if (form.role) filter.roles = [form.role];
  if (form.mode) filter.modes = [form.mode];
  if (form.status) filter.statuses = [form.status];
  const from = form.from ? dayBoundary(form.from, 'start') : undefined;
  const to = form.to ? dayBoundary(form.to, 'end') : undefined;
  if (from) filter.from = from;
  if (to) filter.to = to;
  return filter;
}

export function isFiltered(form: FilterForm): boolean {
  return Object.values(form).some((value) => value !== '');
}

/**
 * A bucket's label in the page's own words: a week is "Week of Mar 2, 2026" in the reader's date
 * format (the answer's key is the ISO date of its Monday), a sprint keeps its name.
 */
export function bucketLabel(charts: Pick<ChartsView, 'bucket'>, bucket: { key: string; label: string }, locale?: Locale): string {
  if (charts.bucket !== 'week' || !/^\d{4}-\d{2}-\d{2}$/.test(bucket.key)) return bucket.label;
  return `Week of ${formatDate(`${bucket.key}T12:00:00Z`, locale ? { ...locale, timeZone: 'UTC' } : undefined)}`;
}

/** The buckets that are periods of time (every week; every sprint but the entries outside one). */
export function timeBuckets(charts: ChartsView): ChartsView['buckets'] {
  return charts.buckets.filter((b) => charts.bucket === 'week' || b.key !== NO_SPRINT_KEY);
}

/** Per rule per bucket: the five most frequent rules as their own series, the rest as "Other rules". */
export function perRuleSeries(charts: ChartsView, maxSeries = 5, locale?: Locale): { categories: string[]; series: { name: string; values: number[] }[] } {
  const totals = new Map<string, number>();
  for (const c of charts.perRule) totals.set(c.rule, (totals.get(c.rule) ?? 0) + c.count);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([rule]) => rule);
  const shown = ranked.slice(0, maxSeries);
  const rest = new Set(ranked.slice(maxSeries));
  const count = (bucket: string, matches: (rule: string) => boolean) =>
    charts.perRule.filter((c) => c.bucket === bucket && matches(c.rule)).reduce((sum, c) => sum + c.count, 0);
  const series = shown.map((rule) => ({ name: ruleTitle(rule), values: charts.buckets.map((b) => count(b.key, (r) => r === rule)) }));
  if (rest.size > 0) series.push({ name: 'Other rules', values: charts.buckets.map((b) => count(b.key, (r) => rest.has(r))) });
  return { categories: charts.buckets.map((b) => bucketLabel(charts, b, locale)), series };
}

/** Totals per bucket in bucket order (a bucket the trend does not name counts 0); `buckets` narrows them. */
export function bucketTotals(charts: ChartsView, buckets: ChartsView['buckets'] = charts.buckets): number[] {
  const byBucket = new Map(charts.trend.map((t) => [t.bucket, t.count]));
  return buckets.map((b) => byBucket.get(b.key) ?? 0);
}

/** One sentence on the trend over time: the latest period against the average of the ones before it. */
export function trendSentence(charts: ChartsView): string {
  const totals = bucketTotals(charts, timeBuckets(charts));
  const unit = charts.bucket === 'sprint' ? 'sprint' : 'week';
  if (totals.length === 0) return `No ${unit}s in this period yet.`;
  const last = totals[totals.length - 1]!;
  if (totals.length === 1) return `${last} in this ${unit}. The trend shows once there is more than one ${unit}.`;
  const before = totals.slice(0, -1);
  const average = before.reduce((s, n) => s + n, 0) / before.length;
  const rounded = Math.round(average * 10) / 10;
  if (last === 0 && average === 0) return `Nothing in the last ${totals.length} ${unit}s.`;
  if (last < average) return `Going down: ${last} in the latest ${unit}, against ${rounded} on average before it.`;
  if (last > average) return `Going up: ${last} in the latest ${unit}, against ${rounded} on average before it. A topic for the next retrospective?`;
  return `Steady: ${last} in the latest ${unit}, as on average before it.`;
}

// ---------------------------------------------------------------------------------------------
// The page's state: the filter as edited and as applied, sort, paging, selection, charts, export.

export type LogSortBy = NonNullable<ViolationSortPayload>['by'];
export interface LogSort {
  readonly by: LogSortBy;
  readonly direction: 'asc' | 'desc';
}
export type ChartBucket = 'sprint' | 'week';
export type LogTab = 'violations' | 'health' | 'charter';

export interface LogState {
  /** The filter bar as edited. */
  readonly form: FilterForm;
  /** The filter the table and the charts show. */
  readonly applied: FilterForm;
  readonly sort: LogSort;
  /** The cursor of every page up to the one shown: the first page's is null; Previous drops the last. */
  readonly cursors: readonly (string | null)[];
  /** Entries chosen to mark as talked through, kept across pages and sorts. */
  readonly selected: ReadonlySet<string>;
  readonly bucket: ChartBucket;
  /** The tab shown; the log's own state is kept while another tab is open. */
  readonly tab: LogTab;
  readonly exporting: boolean;
  readonly exportError: unknown;
  /** What the live region reads out. */
  readonly announcement: string;
}

export const INITIAL_LOG: LogState = {
  form: EMPTY_FILTER,
  applied: EMPTY_FILTER,
  sort: { by: 'occurredAt', direction: 'desc' },
  cursors: [null],
  selected: new Set(),
  bucket: 'sprint',
  tab: 'violations',
  exporting: false,
  exportError: null,
  announcement: '',
};

export type LogAction =
  | { readonly type: 'edit-filter'; readonly change: Partial<FilterForm> }
  | { readonly type: 'apply-filter' }
  | { readonly type: 'clear-filter' }
  | { readonly type: 'sort'; readonly sort: LogSort }
  | { readonly type: 'next-page'; readonly cursor: string | null }
  | { readonly type: 'previous-page' }
  | { readonly type: 'select'; readonly selected: ReadonlySet<string> }
  | { readonly type: 'group-by'; readonly bucket: ChartBucket }
  | { readonly type: 'select-tab'; readonly tab: LogTab }
  | { readonly type: 'page-loaded'; readonly total: number }
  | { readonly type: 'acknowledged'; readonly count: number }
  | { readonly type: 'export-started' }
  | { readonly type: 'exported'; readonly rowCount: number; readonly truncated: boolean }
  | { readonly type: 'export-failed'; readonly error: unknown };

/** The page shown, counted from 1. */
export function pageNumber(state: Pick<LogState, 'cursors'>): number {
  return state.cursors.length;
}

/** The cursor the table asks its resolver for. */
export function currentCursor(state: Pick<LogState, 'cursors'>): string | null {
  return state.cursors[state.cursors.length - 1] ?? null;
}

/** What an export says, on the page and in Jira's flag. */
export function exportMessage(rowCount: number, truncated: boolean): string {
  return truncated
    ? `Exported the first ${plural(rowCount, 'entry', 'entries')}; the filter matches more. Narrow it (a date range, say) for the rest.`
    : `Exported ${plural(rowCount, 'entry', 'entries')}.`;
}

/** A new filter starts on the first page with nothing selected; one with a bad date is not applied. */
function applied(state: LogState, form: FilterForm): LogState {
  if (Object.keys(filterErrors(form)).length > 0) return state;
  return { ...state, form, applied: form, cursors: [null], selected: new Set() };
}

export function logReducer(state: LogState, action: LogAction): LogState {
  switch (action.type) {
    case 'edit-filter':
      return { ...state, form: { ...state.form, ...action.change } };
    case 'apply-filter':
      return applied(state, state.form);
    case 'clear-filter':
      return applied(state, EMPTY_FILTER);
    case 'sort':
      return { ...state, sort: action.sort, cursors: [null] };
    case 'next-page':
      return { ...state, cursors: [...state.cursors, action.cursor] };
    case 'previous-page':
      return state.cursors.length <= 1 ? state : { ...state, cursors: state.cursors.slice(0, -1) };
    case 'select':
      return { ...state, selected: action.selected };
    case 'group-by':
      return { ...state, bucket: action.bucket };
    case 'select-tab':
      return { ...state, tab: action.tab };
    case 'page-loaded':
      return { ...state, announcement: action.total === 0 ? 'No entries match.' : `${plural(action.total, 'entry', 'entries')} match; page ${pageNumber(state)}.` };
    case 'acknowledged':
      return { ...state, selected: new Set(), announcement: `${plural(action.count, 'entry', 'entries')} marked as talked through.` };
    case 'export-started':
      return { ...state, exporting: true, exportError: null };
    case 'exported':
      return { ...state, exporting: false, announcement: exportMessage(action.rowCount, action.truncated) };
    case 'export-failed':
      return { ...state, exporting: false, exportError: action.error };
  }
}
