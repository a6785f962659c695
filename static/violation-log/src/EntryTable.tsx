/** The log's table: one row per entry, with its work item linked, who did it, the rule, the change, what happened and its status. */
import type { Dispatch } from 'react';
import { useEnvironment } from '../../kit/app';
import type { Viewer, ViolationRow } from '../../kit/contract';
import { Badge, DataTable } from '../../kit/components';
import { formatDateTime } from '../../kit/format';
import { changeText, MODE_LABELS, outcomeLabel, rolesText, ruleTitle, STATUS_LABELS } from '../../kit/labels';
import { personName, type People } from '../../kit/people';
import { ItemLink } from './ItemLink';
import type { LogAction, LogSort, LogSortBy } from './model';

/** A note longer than this shows its start in the table; the whole of it opens below. */
const NOTE_PREVIEW_LENGTH = 140;

const SORT_NAMES: Record<LogSortBy, string> = { occurredAt: 'time', rule: 'rule', actor: 'person', issueKey: 'work item', status: 'status' };

export function EntryTable({
  rows,
  people,
  viewer,
  sort,
  selected,
  dispatch,
}: {
  rows: readonly ViolationRow[];
  people: People;
  viewer: Viewer;
  sort: LogSort;
  selected: ReadonlySet<string>;
  dispatch: Dispatch<LogAction>;
}) {
  const { locale } = useEnvironment();
  return (
    <DataTable<ViolationRow, LogSortBy>
      caption={`Violations, sorted by ${SORT_NAMES[sort.by]}, ${sort.direction === 'asc' ? 'ascending' : 'descending'}`}
      hideCaption
      rows={rows}
      rowKey={(row) => row.id}
      sort={sort}
      onSort={(by, direction) => dispatch({ type: 'sort', sort: { by, direction } })}
      selection={
        viewer.canAcknowledge
          ? {
              selected,
              onChange: (next) => dispatch({ type: 'select', selected: next }),
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
            <ItemLink issueKey={row.issueKey} />
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
              {viewer.canAcknowledge && row.actor === viewer.accountId && (
                <span className="srg-subtle">About you: someone else talks it through with you.</span>
              )}
            </div>
          ),
      },
    ]}
    />
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
