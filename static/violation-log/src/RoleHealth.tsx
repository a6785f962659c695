/**
 * The Role health tab: who carried each Scrum accountability, sprint by sprint, counted from Jira's
 * history in the app's queue. The page asks `roleHealth` again while the count runs and shows how far
 * it got; then the heat map of one sprint with the trend beside it, the work sitting off its role with
 * the reason, the Scrum Master's clerical work, and the changes behind any cell.
 */
import { useMemo, useReducer } from 'react';
import { useEnvironment } from '../../kit/app';
import { call, type RoleHealthSprintView, type RoleHealthView } from '../../kit/contract';
import { EmptyState, ErrorBanner, isNoAccess, Message, ProgressBar, Select, Spinner } from '../../kit/components';
import { formatDate, formatDateTime, plural, type Locale } from '../../kit/format';
import { usePolled } from '../../kit/hooks';
import { peopleOf } from '../../kit/people';
import { DrillDown } from './DrillDown';
import {
  ACCOUNTABILITY_LABELS,
  BUCKET_IN_SENTENCE,
  clericalText,
  healthReducer,
  INITIAL_HEALTH,
  MAX_SPRINTS,
  percent,
  POLL_MS,
  shownSprint,
  sprintTotal,
  type HealthCell,
} from './health';
import { cellButtonId, HeatMap } from './HeatMap';
import { HealthTrend } from './HealthTrend';

const SPRINT_COUNTS = Array.from({ length: MAX_SPRINTS }, (_, i) => String(i + 1));

export function RoleHealth() {
  const { locale } = useEnvironment();
  const [state, dispatch] = useReducer(healthReducer, INITIAL_HEALTH);
  const health = usePolled(() => call('roleHealth', { sprints: state.sprints }), String(state.sprints), (view) => view.state === 'computing', POLL_MS);
  const view = health.data;
  const people = useMemo(() => peopleOf(view?.people ?? []), [view?.people]);

  const loadChanges = async (cell: HealthCell, cursor: string | null, append: boolean) => {
    try {
      const page = await call('roleHealthChanges', { ...cell, cursor });
      dispatch({ type: 'changes', cell, changes: page.changes, next: page.next, append });
    } catch (error) {
      dispatch({ type: 'changes-failed', cell, error });
    }
  };
  const openCell = (cell: HealthCell) => {
    dispatch({ type: 'open-cell', cell });
    void loadChanges(cell, null, false);
  };
  const moreChanges = () => {
    const drill = state.drill;
    if (!drill) return;
    dispatch({ type: 'more-changes' });
    void loadChanges(drill.cell, drill.changes.length > 0 ? drill.next : null, drill.changes.length > 0);
  };
  const closeCell = () => {
    const cell = state.drill?.cell;
    dispatch({ type: 'close-cell' });
    if (cell) setTimeout(() => document.getElementById(cellButtonId(cell))?.focus(), 0);
  };

  if (health.status === 'error' && !view) {
    if (isNoAccess(health.error)) {
      return (
        <Message appearance="info" title="Role health is for the Scrum Master and the Product Owner">
          <p>{health.error instanceof Error ? health.error.message : 'The project admins can see it too.'}</p>
        </Message>
      );
    }
    return <ErrorBanner title="Role health could not be loaded" error={health.error} onRetry={health.reload} />;
  }
  if (!view) return <Spinner label="Loading role health" />;

  const sprint = shownSprint(view.sprints, state.sprintId);
  return (
    <div className="srg-stack">
      <div className="srg-spread">
        <div>
          <h2>Role health</h2>
          <p className="srg-subtle">Who actually carries each Scrum accountability, sprint by sprint, counted from every change in Jira's history, allowed or not.</p>
        </div>
        <div className="srg-row">
          <Select
            label="Sprints to count"
            value={String(state.sprints)}
            options={SPRINT_COUNTS.map((n) => ({ value: n, label: n === '1' ? 'The latest sprint' : `The last ${n} sprints` }))}
            onChange={(value) => dispatch({ type: 'sprints', sprints: Number(value) })}
          />
          {sprint && view.sprints.length > 1 && (
            <Select
              label="Sprint"
              value={sprint.id}
              options={[...view.sprints].reverse().map((s) => ({ value: s.id, label: `${s.name}${s.state === 'active' ? ' (active)' : ''}` }))}
              onChange={(sprintId) => dispatch({ type: 'pick-sprint', sprintId })}
            />
          )}
        </div>
      </div>
      <Progress view={view} />
      {health.status === 'error' && <ErrorBanner title="Role health could not be brought up to date" error={health.error} onRetry={health.reload} />}
      {view.state === 'failed' && (
        <ErrorBanner title="Counting the history did not work" error={view.error ?? 'The count stopped before it was done.'} onRetry={health.reload} />
      )}
      {view.state === 'ready' && view.sprints.length === 0 && (
        <EmptyState title="No sprints started yet">
          <p>Role health is counted sprint by sprint. Once the team starts its first sprint on the board, the work done in it shows here.</p>
        </EmptyState>
      )}
      {sprint && (
        <>
          <p className="srg-small srg-subtle">
            {sprintDates(sprint, locale)}
            {view.computedAt ? ` Counted ${formatDateTime(view.computedAt, locale)}.` : ''}
          </p>
          {sprintTotal(sprint) === 0 ? (
            <EmptyState compact headingLevel={3} title={`Nothing changed in ${sprint.name}`}>
              <p>No work item in this sprint was ordered, moved, estimated, assigned or created while it ran. Pick another sprint to see its work.</p>
            </EmptyState>
          ) : (
            <>
              <div className="srg-health-grid">
                <div className="srg-stack">
                  <HeatMap sprint={sprint} open={state.drill?.cell ?? null} onOpen={openCell} />
                  <p className="srg-small srg-subtle">
                    Each cell is that role's share of the accountability's changes in the sprint, and how many they made. Choose a cell to see its changes.
                  </p>
                </div>
                <div className="srg-section">
                  <HealthTrend sprints={view.sprints} shownId={sprint.id} />
                </div>
              </div>
              {state.drill && state.drill.cell.sprintId === sprint.id && (
                <DrillDown drill={state.drill} sprint={sprint} people={people} onMore={moreChanges} onClose={closeCell} />
              )}
              <Clerical sprint={sprint} />
              <OffRole sprint={sprint} />
            </>
          )}
        </>
      )}
    </div>
  );
}

function Progress({ view }: { view: RoleHealthView }) {
  if (view.state !== 'computing') return null;
  if (!view.progress) return <Spinner label="Starting to count the history" />;
  return (
    <ProgressBar
      label={view.sprints.length > 0 ? 'Bringing the figures up to date' : 'Counting the history'}
      value={view.progress.done}
      max={view.progress.total}
      detail={`${view.progress.done} of ${plural(view.progress.total, 'work item')} read`}
    />
  );
}

function sprintDates(sprint: RoleHealthSprintView, locale: Locale): string {
  const start = sprint.startDate ? formatDate(sprint.startDate, locale) : null;
  const end = sprint.endDate ? formatDate(sprint.endDate, locale) : null;
  if (sprint.state === 'active') return `${sprint.name} is running${start ? ` since ${start}` : ''}.`;
  return `${sprint.name} ran${start ? ` from ${start}` : ''}${end ? ` to ${end}` : ''}.`;
}

/** The Scrum Master's clerical work, said kindly: a question for the retrospective, not a fault. */
function Clerical({ sprint }: { sprint: RoleHealthSprintView }) {
  if (sprint.clerical.count <= 0) return null;
  return (
    <Message appearance="info" title="The Scrum Master took on some of the team's own work">
      <p>
        In {sprint.name} the Scrum Master made {plural(sprint.clerical.count, 'change')} that {sprint.clerical.count === 1 ? 'belongs' : 'belong'} to the Developers' own Sprint Backlog:{' '}
        {clericalText(sprint.clerical.byAccountability)}.
      </p>
      <p>
        Helping out is kind, and it can also keep the Developers from owning their work. It may be worth asking at the retrospective whether the team would
        rather keep its board up to date itself.
      </p>
    </Message>
  );
}

function OffRole({ sprint }: { sprint: RoleHealthSprintView }) {
  return (
    <section className="srg-stack" aria-labelledby="off-role-heading" style={{ gap: 'var(--srg-space-100)' }}>
      <h3 id="off-role-heading">Work that sits away from its role</h3>
      {sprint.offRole.length === 0 ? (
        <p className="srg-small srg-subtle">In {sprint.name}, every accountability sat with the roles the Scrum Guide gives it.</p>
      ) : (
        <ul className="srg-plain-list srg-off-role-list">
          {sprint.offRole.map((cell) => (
            <li key={`${cell.accountability}:${cell.bucket}`}>
              <span className="srg-heat-off">
                <span aria-hidden="true">⚠ </span>Off role:
              </span>{' '}
              <strong>
                {ACCOUNTABILITY_LABELS[cell.accountability]} by {BUCKET_IN_SENTENCE[cell.bucket]}
              </strong>
              , {percent(cell.share)} ({plural(cell.count, 'change')})
              <p className="srg-small srg-subtle">{cell.reason}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
