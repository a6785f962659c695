/**
 * The Scrum Master's violation log (jira:projectPage): charts to coach from, a filtered, sorted,
 * paged table, acknowledgement with a note (one or many), and CSV of the current filter. What each
 * person may see is decided by the resolver; the page says which view it got. The page's state is
 * model.ts's reducer; this file loads, renders and dispatches.
 */
import { useMemo, useReducer } from 'react';
import { useEnvironment } from '../../kit/app';
import { flag } from '../../kit/bridge';
import { call } from '../../kit/contract';
import { Button, ErrorBanner, isNoAccess, LiveRegion, Message, NoAccess } from '../../kit/components';
import { downloadCsv } from '../../kit/csv';
import { plural } from '../../kit/format';
import { useAsync } from '../../kit/hooks';
import { usePeople } from '../../kit/people';
import { Charts } from './Charts';
import { Entries, PAGE_SIZE } from './Entries';
import { FilterBar } from './FilterBar';
import { currentCursor, exportMessage, INITIAL_LOG, isFiltered, logReducer, toLogFilter } from './model';

export function ViolationLog() {
  const { context } = useEnvironment();
  const projectKey = context.projectKey;
  const [state, dispatch] = useReducer(logReducer, INITIAL_LOG);
  const [people, learnPeople] = usePeople();
  const { sort, bucket } = state;
  const filter = useMemo(() => toLogFilter(state.applied), [state.applied]);
  const cursor = currentCursor(state);

  const page = useAsync(async () => {
    const answer = await call('listViolations', { filter, sort, limit: PAGE_SIZE, cursor });
    learnPeople(answer.people);
    dispatch({ type: 'page-loaded', total: answer.total });
    return answer;
  }, JSON.stringify([projectKey, filter, sort, cursor]));
  const stats = useAsync(() => call('violationCharts', { filter, bucket }), JSON.stringify([projectKey, filter, bucket]));

  const exportCsv = async () => {
    dispatch({ type: 'export-started' });
    try {
      const answer = await call('exportCsv', { filter, sort });
      downloadCsv(answer.filename, answer.csv);
      dispatch({ type: 'exported', rowCount: answer.rowCount, truncated: answer.truncated });
      flag(answer.truncated ? 'warning' : 'success', 'CSV ready', exportMessage(answer.rowCount, answer.truncated));
    } catch (failure) {
      dispatch({ type: 'export-failed', error: failure });
    }
  };

  if (!projectKey) return <ErrorBanner title="No project here" error="The violation log belongs to a project. Open it from a project's sidebar." />;
  // Someone who cannot see the project: one plain sentence, nothing to retry.
  if ((page.status === 'error' && !page.data && isNoAccess(page.error)) || (stats.status === 'error' && !stats.data && isNoAccess(stats.error))) {
    return <NoAccess what="violation log" />;
  }
  const viewer = page.data?.viewer;

  return (
    <main className="srg-stack">
      <LiveRegion message={state.announcement} />
      <div className="srg-spread">
        <div>
          <h1>Violation log</h1>
          <p className="srg-subtle">What went against the Scrum roles in {projectKey}: material for a conversation, not a scoreboard.</p>
        </div>
        <Button onClick={() => void exportCsv()} busy={state.exporting} disabled={page.status !== 'ready' || page.data.total === 0}>
          Export CSV
        </Button>
      </div>
      {viewer && viewer.scope === 'own' && (
        <Message appearance="info" title="Your own entries">
          <p>You see what concerns you. The Scrum Master, the Product Owner and the project admins see the whole log.</p>
        </Message>
      )}
      {state.exportError !== null && <ErrorBanner title="The CSV could not be made" error={state.exportError} onRetry={() => void exportCsv()} />}
      <FilterBar form={state.form} applied={state.applied} people={people} dispatch={dispatch} />
      <Charts stats={stats} bucket={bucket} onBucket={(next) => dispatch({ type: 'group-by', bucket: next })} filtered={isFiltered(state.applied)} />
      <Entries
        page={page}
        state={state}
        people={people}
        dispatch={dispatch}
        onAcknowledged={(count) => {
          dispatch({ type: 'acknowledged', count });
          flag('success', 'Marked as talked through', plural(count, 'entry', 'entries'));
          page.reload();
          stats.reload();
        }}
      />
    </main>
  );
}
