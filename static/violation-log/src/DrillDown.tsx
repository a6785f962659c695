/** The changes behind one heat map cell, newest first, 50 at a time, each linked to its work item. */
import { useEffect, useRef } from 'react';
import { useEnvironment } from '../../kit/app';
import type { HealthChangeView, RoleHealthSprintView } from '../../kit/contract';
import { Button, DataTable, EmptyState, ErrorBanner, Spinner } from '../../kit/components';
import { formatDateTime, plural } from '../../kit/format';
import { personName, type People } from '../../kit/people';
import { ACCOUNTABILITY_LABELS, BUCKET_IN_SENTENCE, type Drill } from './health';
import { ItemLink } from './ItemLink';

export function DrillDown({
  drill,
  sprint,
  people,
  onMore,
  onClose,
}: {
  drill: Drill;
  sprint: RoleHealthSprintView;
  people: People;
  onMore: () => void;
  onClose: () => void;
}) {
  const { locale } = useEnvironment();
  const heading = useRef<HTMLHeadingElement | null>(null);
  const { accountability, bucket } = drill.cell;
  const key = `${drill.cell.sprintId}:${accountability}:${bucket}`;
  // A cell opened: the focus goes to what it opened, so a screen reader reads it next.
  useEffect(() => {
    heading.current?.focus();
  }, [key]);
  const count = sprint.actions[accountability]?.[bucket] ?? 0;
  return (
    <section className="srg-section srg-stack" aria-labelledby="drill-heading">
      <div className="srg-spread">
        <div>
          <h3 id="drill-heading" ref={heading} tabIndex={-1} className="srg-focus-target">
            {ACCOUNTABILITY_LABELS[accountability]} by {BUCKET_IN_SENTENCE[bucket]} in {sprint.name}
          </h3>
          <p className="srg-small srg-subtle">
            {plural(count, 'change')}, newest first{drill.changes.length > 0 && drill.changes.length < count ? `; ${drill.changes.length} shown` : ''}.
          </p>
        </div>
        <Button onClick={onClose}>Close the changes</Button>
      </div>
      {drill.changes.length === 0 && drill.loading && <Spinner label="Loading the changes" />}
      {drill.changes.length === 0 && !drill.loading && drill.error === null && (
        <EmptyState compact headingLevel={3} title="No changes to show">
          <p>Nothing of this kind was found in this sprint. The history may have changed since it was counted; try counting again.</p>
        </EmptyState>
      )}
      {drill.changes.length > 0 && (
        <DataTable<HealthChangeView, never>
          caption={`The changes: ${ACCOUNTABILITY_LABELS[accountability]} by ${BUCKET_IN_SENTENCE[bucket]}`}
          hideCaption
          rows={drill.changes}
          rowKey={(change) => `${change.at}:${change.issueKey}:${change.actor}:${change.summary}`}
          columns={[
            { key: 'when', header: 'When', className: 'srg-col-when', render: (change) => <time dateTime={change.at}>{formatDateTime(change.at, locale)}</time> },
            { key: 'item', header: 'Work item', className: 'srg-col-item', render: (change) => <ItemLink issueKey={change.issueKey} /> },
            { key: 'who', header: 'Who', className: 'srg-col-who', render: (change) => personName(people, change.actor) },
            { key: 'what', header: 'What changed', render: (change) => change.summary },
          ]}
        />
      )}
      {drill.error !== null && <ErrorBanner title="The changes could not be loaded" error={drill.error} onRetry={onMore} />}
      {drill.next !== null && (
        <div>
          <Button onClick={onMore} busy={drill.loading}>
            Show more
          </Button>
        </div>
      )}
    </section>
  );
}
