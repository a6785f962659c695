/**
 * The Scrum Master's violation log (jira:projectPage), in three tabs. Violations: charts to coach
 * from, a filtered, sorted, paged table, acknowledgement with a note (one or many), and CSV of the
 * current filter. Role health: who carries each accountability, sprint by sprint. Role charter: the
 * team's roles to print or paste into a wiki. What each person may see is decided by the resolvers;
 * the page says which view it got. The page's state is
 * model.ts's reducer; this file loads, renders and dispatches.
 */
import { useMemo, useReducer } from 'react';
import { useEnvironment } from '../../kit/app';
import { flag } from '../../kit/bridge';
import { call } from '../../kit/contract';
import { Button, ErrorBanner, isNoAccess, LiveRegion, Message, NoAccess, Tabs, type TabDefinition } from '../../kit/components';
import { downloadCsv } from '../../kit/download';
import { plural } from '../../kit/format';
import { useAsync } from '../../kit/hooks';
import { usePeople } from '../../kit/people';
import { Charter } from './Charter';
import { Charts } from './Charts';
import { Entries, PAGE_SIZE } from './Entries';
import { FilterBar } from './FilterBar';
import { currentCursor, exportMessage, INITIAL_LOG, isFiltered, logReducer, toLogFilter, type LogTab } from './model';
import { RoleHealth } from './RoleHealth';

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

  const violations = () => (
    <div className="srg-stack">
      <div className="srg-spread">
        <p className="srg-subtle" style={{ margin: 0 }}>
          What went against the Scrum roles in {projectKey}: material for a conversation, not a scoreboard.
        </p>
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
    </div>
  );

  // Role health is the whole team's picture: the Scrum Master, the Product Owner and the project
  // admins, who are exactly the viewers of the whole log. The resolver refuses anyone else anyway.
  const tabs: TabDefinition<LogTab>[] = [{ id: 'violations', label: 'Violations', content: violations }];
  if (viewer?.scope === 'all') tabs.push({ id: 'health', label: 'Role health', content: () => <RoleHealth /> });
  tabs.push({ id: 'charter', label: 'Role charter', content: () => <Charter projectKey={projectKey} /> });

  return (
    <main className="srg-stack">
      <LiveRegion message={state.announcement} />
      <h1 className="srg-no-print">Violation log</h1>
      <Tabs<LogTab> label="Violation log sections" selected={state.tab} onSelect={(tab) => dispatch({ type: 'select-tab', tab })} tabs={tabs} />
    </main>
  );
}
