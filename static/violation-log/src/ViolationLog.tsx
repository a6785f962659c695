/**
 * The Scrum Master's violation log (jira:projectPage): charts to coach from, a filtered, sorted,
 * paged table, acknowledgement with a note (one or many), and CSV of the current filter. What each
 * person may see is decided by the resolver; the page says which view it got.
 */
import { useMemo, useState, type MouseEvent } from 'react';
import { useEnvironment } from '../../kit/app';
import { flag, navigateTo, ResolverError } from '../../kit/bridge';
import { call, LIMITS, type ChartsView, type Person, type ViolationRow, type ViolationSortPayload } from '../../kit/contract';
import {
  Badge,
  BarChart,
  Button,
  DataTable,
  EmptyState,
  ErrorBanner,
  isNoAccess,
  LiveRegion,
  Message,
  NoAccess,
  Select,
  Spinner,
  TextArea,
  TextField,
  errorText,
  textLength,
  type SortDirection,
} from '../../kit/components';
import { downloadCsv } from '../../kit/csv';
import { formatDateTime, plural } from '../../kit/format';
import { useAsync } from '../../kit/hooks';
import { changeText, MODE_LABELS, outcomeLabel, ROLE_KEYS, ROLE_SINGULAR, RULE_IDS, rolesText, ruleTitle, STATUS_LABELS } from '../../kit/labels';
import { NO_SPRINT_KEY } from '../../../src/shared/words';
import { bucketLabel, bucketTotals, EMPTY_FILTER, filterErrors, isFiltered, perRuleSeries, personName, timeBuckets, toLogFilter, trendSentence, type FilterForm } from './model';

const PAGE_SIZE = 25;
const NOTE_MAX_LENGTH = LIMITS.noteMaxLength;
/** A note longer than this shows its start in the table; the whole of it opens below. */
const NOTE_PREVIEW_LENGTH = 140;
type SortBy = NonNullable<ViolationSortPayload>['by'];
type LogRow = ViolationRow;

export function ViolationLog() {
  const { context, locale } = useEnvironment();
  const projectKey = context.projectKey;
  const [form, setForm] = useState<FilterForm>(EMPTY_FILTER);
  const [applied, setApplied] = useState<FilterForm>(EMPTY_FILTER);
  const [sort, setSort] = useState<{ by: SortBy; direction: SortDirection }>({ by: 'occurredAt', direction: 'desc' });
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [people, setPeople] = useState<Map<string, Person>>(new Map());
  const [announcement, setAnnouncement] = useState('');
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const [bucket, setBucket] = useState<'sprint' | 'week'>('sprint');
  const filter = useMemo(() => toLogFilter(applied), [applied]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const errors = filterErrors(form);

  const learn = (found: readonly Person[]) =>
    setPeople((known) => {
      if (found.every((p) => known.get(p.accountId)?.displayName === p.displayName)) return known;
      const next = new Map(known);
      for (const p of found) next.set(p.accountId, p);
      return next;
    });

  const page = useAsync(async () => {
    const answer = await call('listViolations', { filter, sort, limit: PAGE_SIZE, cursor });
    learn(answer.people);
    setAnnouncement(answer.total === 0 ? 'No entries match.' : `${plural(answer.total, 'entry', 'entries')} match; page ${cursors.length}.`);
    return answer;
  }, JSON.stringify([projectKey, filter, sort, cursor]));
  const stats = useAsync(() => call('violationCharts', { filter, bucket }), JSON.stringify([projectKey, filter, bucket]));

  const apply = (next: FilterForm) => {
    if (Object.keys(filterErrors(next)).length > 0) return;
    setApplied(next);
    setCursors([null]);
    setSelected(new Set());
  };

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const answer = await call('exportCsv', { filter, sort });
      downloadCsv(answer.filename, answer.csv);
      const message = answer.truncated
        ? `Exported the first ${plural(answer.rowCount, 'entry', 'entries')}; the filter matches more. Narrow it (a date range, say) for the rest.`
        : `Exported ${plural(answer.rowCount, 'entry', 'entries')}.`;
      setAnnouncement(message);
      flag(answer.truncated ? 'warning' : 'success', 'CSV ready', message);
    } catch (failure) {
      setExportError(failure);
    } finally {
      setExporting(false);
    }
  };

  if (!projectKey) return <ErrorBanner title="No project here" error="The violation log belongs to a project. Open it from a project's sidebar." />;
  // Someone who cannot see the project: one plain sentence, nothing to retry.
  if ((page.status === 'error' && !page.data && isNoAccess(page.error)) || (stats.status === 'error' && !stats.data && isNoAccess(stats.error))) {
    return <NoAccess what="violation log" />;
  }
  const viewer = page.data?.viewer;
  const ruleOptions = [{ value: '', label: 'Any rule' }, ...RULE_IDS.map((id) => ({ value: id, label: ruleTitle(id) }))];
  const personOptions = [
    { value: '', label: 'Anyone' },
    ...[...people.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).map((p) => ({ value: p.accountId, label: p.displayName })),
  ];
  const openItem = (issueKey: string) => (event: MouseEvent<HTMLAnchorElement>) => {
    // In Jira the page around the frame navigates; the link's address still works for a new tab.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigateTo(`/browse/${issueKey}`);
  };

  return (
    <main className="srg-stack">
      <LiveRegion message={announcement} />
      <div className="srg-spread">
        <div>
          <h1>Violation log</h1>
          <p className="srg-subtle">What went against the Scrum roles in {projectKey}: material for a conversation, not a scoreboard.</p>
        </div>
        <Button onClick={() => void exportCsv()} busy={exporting} disabled={page.status !== 'ready' || page.data.total === 0}>
          Export CSV
        </Button>
      </div>
      {viewer && viewer.scope === 'own' && (
        <Message appearance="info" title="Your own entries">
          <p>You see what concerns you. The Scrum Master, the Product Owner and the project admins see the whole log.</p>
        </Message>
      )}
      {exportError !== null && <ErrorBanner title="The CSV could not be made" error={exportError} onRetry={() => void exportCsv()} />}

      <form
        noValidate
        className="srg-section srg-stack"
        aria-label="Filter the log"
        onSubmit={(event) => {
          event.preventDefault();
          apply(form);
        }}
      >
        <div className="srg-row">
          <Select label="Rule" value={form.rule} options={ruleOptions} onChange={(rule) => setForm({ ...form, rule })} />
          <Select label="Person" value={form.actor} options={personOptions} onChange={(actor) => setForm({ ...form, actor })} />
          <Select<FilterForm['role']>
            label="Their role"
            value={form.role}
            options={[{ value: '', label: 'Any role' }, ...ROLE_KEYS.map((r) => ({ value: r, label: ROLE_SINGULAR[r] })), { value: 'none', label: 'Outside the Scrum Team' }]}
            onChange={(role) => setForm({ ...form, role })}
          />
          <Select<FilterForm['mode']>
            label="Mode"
            value={form.mode}
            options={[
              { value: '', label: 'Any mode' },
              { value: 'flag', label: MODE_LABELS.flag },
              { value: 'block', label: MODE_LABELS.block },
            ]}
            onChange={(mode) => setForm({ ...form, mode })}
          />
          <Select<FilterForm['status']>
            label="Status"
            value={form.status}
            options={[
              { value: '', label: 'Any status' },
              { value: 'open', label: STATUS_LABELS.open! },
              { value: 'acknowledged', label: STATUS_LABELS.acknowledged! },
            ]}
            onChange={(status) => setForm({ ...form, status })}
          />
          <TextField label="From" type="date" value={form.from} onChange={(from) => setForm({ ...form, from })} error={errors.from} />
          <TextField label="To" type="date" value={form.to} onChange={(to) => setForm({ ...form, to })} error={errors.to} />
        </div>
        <div className="srg-row-center">
          <Button type="submit" appearance="primary" disabled={Object.keys(errors).length > 0}>
            Apply filter
          </Button>
          {(isFiltered(form) || isFiltered(applied)) && (
            <Button
              appearance="subtle"
              onClick={() => {
                setForm(EMPTY_FILTER);
                apply(EMPTY_FILTER);
              }}
            >
              Clear filter
            </Button>
          )}
        </div>
      </form>

      <Charts stats={stats} bucket={bucket} onBucket={setBucket} filtered={isFiltered(applied)} />

      <section className="srg-stack" aria-labelledby="log-table-heading">
        <div className="srg-spread">
          <h2 id="log-table-heading">Entries</h2>
          {page.data && <span className="srg-small srg-subtle">{plural(page.data.total, 'entry', 'entries')}</span>}
        </div>
        {viewer?.canAcknowledge && selected.size > 0 && (
          <BulkAcknowledge
            ids={[...selected]}
            onDone={(count) => {
              setSelected(new Set());
              setAnnouncement(`${plural(count, 'entry', 'entries')} marked as talked through.`);
              flag('success', 'Marked as talked through', plural(count, 'entry', 'entries'));
              page.reload();
              stats.reload();
            }}
            onCancel={() => setSelected(new Set())}
          />
        )}
        {page.status === 'error' && <ErrorBanner title="The log could not be loaded" error={page.error} onRetry={page.reload} />}
        {page.status === 'loading' && !page.data && <Spinner label="Loading the log" />}
        {page.data && page.data.rows.length === 0 && (
          <EmptyState
            title={isFiltered(applied) ? 'Nothing matches this filter' : viewer?.scope === 'own' ? 'Nothing here is about you' : 'No violations yet'}
            actions={
              isFiltered(applied) ? (
                <Button
                  onClick={() => {
                    setForm(EMPTY_FILTER);
                    apply(EMPTY_FILTER);
                  }}
                >
                  Clear filter
                </Button>
              ) : undefined
            }
          >
            <p>
              {isFiltered(applied)
                ? 'Try a wider date range or another rule.'
                : viewer?.scope === 'own'
                  ? 'None of the log’s entries are about something you did. You see only your own; the Scrum Master and the Product Owner see the whole log.'
                  : 'Everything done in this project so far fits the Scrum roles. Check that the roles are set in the project settings, so the app knows who is who.'}
            </p>
          </EmptyState>
        )}
        {page.data && page.data.rows.length > 0 && (
          <div aria-busy={page.status === 'loading'}>
            <DataTable<LogRow, SortBy>
              caption={`Violations, sorted by ${SORT_NAMES[sort.by]}, ${sort.direction === 'asc' ? 'ascending' : 'descending'}`}
              hideCaption
              rows={page.data.rows}
              rowKey={(row) => row.id}
              sort={sort}
              onSort={(by, direction) => {
                setSort({ by, direction });
                setCursors([null]);
              }}
              selection={
                viewer?.canAcknowledge
                  ? {
                      selected,
                      onChange: setSelected,
                      // Nobody closes an entry about themselves.
                      isSelectable: (row) => row.status === 'open' && row.actor !== viewer.accountId,
                      rowLabel: (row) => `Select ${ruleTitle(row.rule)} on ${row.issueKey ?? 'the sprint'}, ${formatDateTime(row.occurredAt, locale)}`,
                    }
                  : undefined
              }
              columns={[
                { key: 'when', header: 'When', sortKey: 'occurredAt', className: 'srg-col-when', render: (row) => <time dateTime={row.occurredAt}>{formatDateTime(row.occurredAt, locale)}</time> },
                {
                  key: 'item',
                  header: 'Work item',
                  sortKey: 'issueKey',
                  className: 'srg-col-item',
                  render: (row) =>
                    row.issueKey ? (
                      <a href={`${context.siteUrl ?? ''}/browse/${row.issueKey}`} onClick={openItem(row.issueKey)}>
                        {row.issueKey}
                      </a>
                    ) : (
                      <span className="srg-subtle">Sprint</span>
                    ),
                },
                {
                  key: 'who',
                  header: 'Who',
                  sortKey: 'actor',
                  className: 'srg-col-who',
                  render: (row) => (
                    <span>
                      {personName(people, row.actor)}
                      <br />
                      <span className="srg-small srg-subtle">{rolesText(row.actorRoles)}</span>
                    </span>
                  ),
                },
                { key: 'rule', header: 'Rule', sortKey: 'rule', render: (row) => ruleTitle(row.rule) },
                {
                  key: 'change',
                  header: 'Change',
                  render: (row) => <span className="srg-small">{changeText(row) ?? ''}</span>,
                },
                {
                  key: 'outcome',
                  header: 'What happened',
                  render: (row) => {
                    const label = outcomeLabel(row.outcome);
                    // One word each: "Flagged" is a flag, "Undone" and "Refused" are blocks; only where the
                    // outcome alone does not say the mode is it added.
                    const modeUnsaid = row.outcome === 'revert-skipped' || row.outcome === 'unjudgeable';
                    return (
                      <span className="srg-stack" style={{ gap: '2px', alignItems: 'flex-start' }}>
                        <Badge appearance={label.appearance} title={label.description}>
                          {label.text}
                        </Badge>
                        {modeUnsaid && <span className="srg-small srg-subtle">{MODE_LABELS[row.mode]} mode</span>}
                      </span>
                    );
                  },
                },
                {
                  key: 'status',
                  header: 'Status',
                  sortKey: 'status',
                  className: 'srg-col-status',
                  render: (row) =>
                    row.status === 'acknowledged' ? (
                      <div className="srg-small srg-stack" style={{ gap: 'var(--srg-space-050)', alignItems: 'flex-start' }}>
                        <span>
                          <Badge appearance="success">{STATUS_LABELS.acknowledged}</Badge>
                        </span>
                        {row.ackBy && <span className="srg-subtle">by {personName(people, row.ackBy)}</span>}
                        {row.ackNote && <NoteText note={row.ackNote} />}
                      </div>
                    ) : (
                      <div className="srg-small srg-stack" style={{ gap: 'var(--srg-space-050)' }}>
                        <span>
                          <Badge>{STATUS_LABELS.open}</Badge>
                        </span>
                        {viewer?.canAcknowledge && row.actor === viewer.accountId && (
                          <span className="srg-subtle">About you: someone else talks it through with you.</span>
                        )}
                      </div>
                    ),
                },
              ]}
            />
            <nav className="srg-spread" aria-label="Pages" style={{ marginTop: 'var(--srg-space-100)' }}>
              <span className="srg-small srg-subtle">
                Page {cursors.length} of {Math.max(1, Math.ceil(page.data.total / PAGE_SIZE))}
              </span>
              <span className="srg-row-center">
                <Button small disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                  Previous
                </Button>
                <Button small disabled={!page.data.nextCursor} onClick={() => setCursors([...cursors, page.data!.nextCursor])}>
                  Next
                </Button>
              </span>
            </nav>
          </div>
        )}
      </section>
    </main>
  );
}

/** A note in the table: a short one whole, a long one as its start with the rest a click away. */
function NoteText({ note }: { note: string }) {
  if (note.length <= NOTE_PREVIEW_LENGTH) return <blockquote className="srg-quote">{note}</blockquote>;
  const start = note.slice(0, NOTE_PREVIEW_LENGTH).replace(/\s+\S*$/, '');
  return (
    <details className="srg-note">
      <summary>
        <span className="srg-quote">{start}…</span> <span className="srg-link-text">Read the whole note</span>
      </summary>
      <blockquote className="srg-quote">{note}</blockquote>
    </details>
  );
}

const SORT_NAMES: Record<SortBy, string> = { occurredAt: 'time', rule: 'rule', actor: 'person', issueKey: 'work item', status: 'status' };

function Charts({
  stats,
  bucket,
  onBucket,
  filtered,
}: {
  stats: ReturnType<typeof useAsync<ChartsView>>;
  bucket: 'sprint' | 'week';
  onBucket: (bucket: 'sprint' | 'week') => void;
  filtered: boolean;
}) {
  const { locale } = useEnvironment();
  if (stats.status === 'loading' && !stats.data) return <Spinner label="Loading the charts" />;
  if (stats.status === 'error' && !stats.data) return <ErrorBanner title="The charts could not be loaded" error={stats.error} onRetry={stats.reload} />;
  const data = stats.data!;
  const empty = bucketTotals(data).every((t) => t === 0);
  // An empty log has nothing to chart; a filter that matches nothing keeps the charts' place and says so.
  if (empty && !filtered) return null;
  const perRule = perRuleSeries(data, 5, locale);
  const periods = timeBuckets(data);
  const outside = data.bucket === 'sprint' ? (bucketTotals(data, data.buckets.filter((b) => b.key === NO_SPRINT_KEY))[0] ?? 0) : 0;
  const unit = data.bucket === 'sprint' ? 'sprint' : 'week';
  return (
    <section className="srg-stack" aria-labelledby="charts-heading">
      <div className="srg-spread">
        <h2 id="charts-heading">How it goes</h2>
        <Select<'sprint' | 'week'>
          label="Group by"
          value={bucket}
          options={[
            { value: 'sprint', label: 'Sprint' },
            { value: 'week', label: 'Week' },
          ]}
          onChange={onBucket}
        />
      </div>
      {empty ? (
        <p className="srg-subtle">Nothing to chart for this filter.</p>
      ) : (
        <div className="srg-grid-2">
          <div className="srg-section">
            <BarChart
              title={`Per rule, per ${unit}`}
              description="Which accountabilities get crossed, and when."
              categories={perRule.categories}
              series={perRule.series}
              categoryHeader={unit === 'sprint' ? 'Sprint' : 'Week'}
            />
          </div>
          <div className="srg-section">
            {periods.length === 0 ? (
              <div className="srg-stack">
                <h3>Trend</h3>
                <p className="srg-small srg-subtle">
                  No entry was made during a sprint yet, so there is no trend from sprint to sprint. {plural(outside, 'entry', 'entries')} made outside a sprint{' '}
                  {outside === 1 ? 'is' : 'are'} counted in the chart beside this one; grouping by week shows them over time.
                </p>
              </div>
            ) : (
              <BarChart
                title="Trend"
                description={`${trendSentence(data)}${outside > 0 ? ` ${plural(outside, 'entry', 'entries')} made outside a sprint ${outside === 1 ? 'is' : 'are'} not part of the trend.` : ''}`}
                categories={periods.map((b) => bucketLabel(data, b, locale))}
                series={[{ name: 'Entries', values: bucketTotals(data, periods) }]}
                stacked={false}
                categoryHeader={unit === 'sprint' ? 'Sprint' : 'Week'}
              />
            )}
          </div>
          <div className="srg-section srg-stack">
            <h3>Top patterns</h3>
            {data.topPatterns.length === 0 ? (
              <p className="srg-small srg-subtle">No pattern stands out in the latest {unit}.</p>
            ) : (
              <ol className="srg-stack" style={{ margin: 0, paddingLeft: 'var(--srg-space-200)', gap: 'var(--srg-space-050)' }}>
                {data.topPatterns.slice(0, 5).map((pattern) => (
                  <li key={`${pattern.role}:${pattern.rule}:${pattern.bucket}`}>{pattern.text}</li>
                ))}
              </ol>
            )}
            <p className="srg-small srg-subtle">A pattern is a conversation to have, often about how the roles are understood, not about a person.</p>
          </div>
        </div>
      )}
    </section>
  );
}

function BulkAcknowledge({ ids, onDone, onCancel }: { ids: readonly string[]; onDone: (count: number) => void; onCancel: () => void }) {
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const trimmed = note.trim();
    if (!trimmed) {
      setNoteError('Write a short note: what was agreed, or why it was fine.');
      return;
    }
    if (textLength(note) > NOTE_MAX_LENGTH) return;
    setSaving(true);
    setError(null);
    setNoteError(null);
    try {
      const answer = await call('acknowledgeMany', { ids: [...ids], note: trimmed });
      onDone(answer.acknowledged);
    } catch (failure) {
      const fieldIssue = failure instanceof ResolverError ? failure.issues.find((i) => i.path.endsWith('note')) : undefined;
      if (fieldIssue) setNoteError(fieldIssue.message);
      else setError(failure);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form
      noValidate
      className="srg-section srg-stack"
      aria-label="Mark the selected entries as talked through"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3>Mark {plural(ids.length, 'entry', 'entries')} as talked through</h3>
      <TextArea
        label="Note"
        value={note}
        onChange={(value) => {
          setNote(value);
          setNoteError(null);
        }}
        required
        rows={2}
        limit={NOTE_MAX_LENGTH}
        error={noteError}
        help="What was agreed. It is kept with each entry."
      />
      {error !== null && <ErrorBanner title="The note was not saved" error={errorText(error)} />}
      <div className="srg-row-center">
        <Button type="submit" appearance="primary" busy={saving}>
          Save note
        </Button>
        <Button appearance="subtle" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
