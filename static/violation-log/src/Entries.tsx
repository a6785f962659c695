/** The log's entries: the note for the selected ones, the table, and its pages; or what is true when there are none. */
import type { Dispatch } from 'react';
import { call, type ViolationPageView } from '../../kit/contract';
import { Button, EmptyState, ErrorBanner, NoteForm, Spinner } from '../../kit/components';
import { plural } from '../../kit/format';
import type { Loaded } from '../../kit/hooks';
import type { People } from '../../kit/people';
import { EntryTable } from './EntryTable';
import { isFiltered, pageNumber, type LogAction, type LogState } from './model';

export const PAGE_SIZE = 25;

export function Entries({
  page,
  state,
  people,
  dispatch,
  onAcknowledged,
}: {
  page: Loaded<ViolationPageView>;
  state: LogState;
  people: People;
  dispatch: Dispatch<LogAction>;
  onAcknowledged: (count: number) => void;
}) {
  const viewer = page.data?.viewer;
  const filtered = isFiltered(state.applied);
  return (
    <section className="srg-stack" aria-labelledby="log-table-heading">
      <div className="srg-spread">
        <h2 id="log-table-heading">Entries</h2>
        {page.data && <span className="srg-small srg-subtle">{plural(page.data.total, 'entry', 'entries')}</span>}
      </div>
      {viewer?.canAcknowledge && state.selected.size > 0 && (
        <NoteForm
          appearance="section"
          label="Mark the selected entries as talked through"
          heading={<>Mark {plural(state.selected.size, 'entry', 'entries')} as talked through</>}
          help="What was agreed. It is kept with each entry."
          save={async (note) => {
            const answer = await call('acknowledgeMany', { ids: [...state.selected], note });
            onAcknowledged(answer.acknowledged);
          }}
          onCancel={() => dispatch({ type: 'select', selected: new Set() })}
        />
      )}
      {page.status === 'error' && <ErrorBanner title="The log could not be loaded" error={page.error} onRetry={page.reload} />}
      {page.status === 'loading' && !page.data && <Spinner label="Loading the log" />}
      {page.data && page.data.rows.length === 0 && (
        <EmptyState
          title={filtered ? 'Nothing matches this filter' : viewer?.scope === 'own' ? 'Nothing here is about you' : 'No violations yet'}
          actions={filtered ? <Button onClick={() => dispatch({ type: 'clear-filter' })}>Clear filter</Button> : undefined}
        >
          <p>
            {filtered
              ? 'Try a wider date range or another rule.'
              : viewer?.scope === 'own'
                ? 'None of the log’s entries are about something you did. You see only your own; the Scrum Master and the Product Owner see the whole log.'
                : 'Everything done in this project so far fits the Scrum roles. Check that the roles are set in the project settings, so the app knows who is who.'}
          </p>
        </EmptyState>
      )}
      {page.data && page.data.rows.length > 0 && (
        <div aria-busy={page.status === 'loading'}>
          <EntryTable rows={page.data.rows} people={people} viewer={page.data.viewer} sort={state.sort} selected={state.selected} dispatch={dispatch} />
          <nav className="srg-spread" aria-label="Pages" style={{ marginTop: 'var(--srg-space-100)' }}>
            <span className="srg-small srg-subtle">
              Page {pageNumber(state)} of {Math.max(1, Math.ceil(page.data.total / PAGE_SIZE))}
            </span>
            <span className="srg-row-center">
              <Button small disabled={pageNumber(state) <= 1} onClick={() => dispatch({ type: 'previous-page' })}>
                Previous
              </Button>
              <Button small disabled={!page.data.nextCursor} onClick={() => dispatch({ type: 'next-page', cursor: page.data!.nextCursor })}>
                Next
              </Button>
            </span>
          </nav>
        </div>
      )}
    </section>
  );
}
