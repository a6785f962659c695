/**
 * The nudge on the work item: the project's Scrum roles at a glance and what went against them on
 * this work item, in coaching words. A Scrum Master or Product Owner can close an entry with a note,
 * except one about themselves. The panel refreshes itself when Jira says the work item changed.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useEnvironment } from '../../kit/app';
import { flag, onIssueChanged } from '../../kit/bridge';
import { Badge, Button, EmptyState, ErrorBanner, isNoAccess, LiveRegion, NoAccess, NoteForm, PeopleChips, Spinner } from '../../kit/components';
import { formatDateTime, formatRelative, plural } from '../../kit/format';
import { useAsync } from '../../kit/hooks';
import { changeText, nudgeText, outcomeLabel, ROLE_KEYS, ROLE_LABELS, RULE_CATALOGUE, rolesText, ruleTitle } from '../../kit/labels';
import { peopleOf, personName, type People } from '../../kit/people';
import { call, type WorkItemNudgesView } from '../../kit/contract';
import { groupRepeats, type NudgeGroup } from './groups';

/** Jira sends its change event a moment after the change; the app may judge it a moment later still. */
const SECOND_LOOK_MS = 5000;

export function Panel() {
  const { context } = useEnvironment();
  const issueKey = context.issueKey;
  const panel = useAsync(() => call('getWorkItemNudges', {}), issueKey ?? '');
  const [announcement, setAnnouncement] = useState('');
  const { reload } = panel;

  useEffect(() => {
    let later: ReturnType<typeof setTimeout> | undefined;
    const stop = onIssueChanged((change) => {
      if (change.issueId !== undefined && context.issueId !== null && change.issueId !== context.issueId) return;
      reload();
      if (later) clearTimeout(later);
      later = setTimeout(reload, SECOND_LOOK_MS);
    });
    return () => {
      stop();
      if (later) clearTimeout(later);
    };
  }, [reload, context.issueId]);

  const groups = useMemo(() => groupRepeats(panel.data?.violations ?? []), [panel.data]);

  if (!issueKey) {
    return <ErrorBanner title="No work item here" error="This panel belongs on a work item. Open a work item to see its Scrum roles and nudges." />;
  }
  if (panel.status === 'loading' && !panel.data) return <Spinner label="Loading the Scrum roles and nudges" />;
  if (panel.status === 'error' && !panel.data) {
    if (isNoAccess(panel.error)) return <NoAccess what="Scrum roles and nudges" />;
    return <ErrorBanner title="The nudges could not be loaded" error={panel.error} onRetry={panel.reload} />;
  }
  const data = panel.data!;
  const people = peopleOf(data.people);
  const open = data.violations.filter((v) => v.status === 'open').length;

  return (
    <div className="srg-stack">
      <LiveRegion message={announcement} />
      {panel.status === 'error' && <ErrorBanner title="The nudges could not be refreshed" error={panel.error} onRetry={panel.reload} />}
      <section aria-labelledby="srg-roles-heading" className="srg-stack" style={{ gap: 'var(--srg-space-100)' }}>
        <h2 id="srg-roles-heading">Scrum roles in this project</h2>
        <RolesAtAGlance data={data} people={people} />
      </section>
      <section aria-labelledby="srg-nudges-heading" className="srg-stack">
        <div className="srg-spread">
          <h2 id="srg-nudges-heading">On this work item</h2>
          {data.violations.length > 0 && (
            <span className="srg-small srg-subtle">
              {plural(data.violations.length, 'nudge')}, {open} open
            </span>
          )}
        </div>
        {data.violations.length === 0 ? (
          <EmptyState compact headingLevel={3} title="Nothing to talk about">
            <p className="srg-small">Everything done on this work item so far fits the Scrum roles. If something goes against them, the reason shows up here.</p>
          </EmptyState>
        ) : (
          <ol className="srg-stack" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {groups.map((group) => (
              <li key={group.key}>
                <NudgeCard
                  group={group}
                  people={people}
                  viewer={data.viewer}
                  onAcknowledged={(note, count) => {
                    setAnnouncement(`Marked as talked through: ${ruleTitle(group.latest.rule)}${count > 1 ? `, ${count} times` : ''}.`);
                    flag('success', 'Marked as talked through', note);
                    panel.reload();
                  }}
                />
              </li>
            ))}
          </ol>
        )}
        {!data.viewer.canAcknowledge && data.violations.some((v) => v.status === 'open') && (
          <p className="srg-small srg-subtle">The Scrum Master or Product Owner closes these once they have been talked through.</p>
        )}
      </section>
    </div>
  );
}

function RolesAtAGlance({ data, people }: { data: WorkItemNudgesView; people: People }) {
  return (
    <dl className="srg-dl">
      {ROLE_KEYS.map((role) => {
        const members = data.roles[role] ?? [];
        return (
          <div key={role} style={{ display: 'contents' }}>
            <dt>{ROLE_LABELS[role]}</dt>
            <dd>
              {members.length === 0 ? (
                <span className="srg-small srg-subtle">Nobody yet</span>
              ) : (
                <PeopleChips label={ROLE_LABELS[role]} accountIds={members} people={people} max={6} />
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function NudgeCard({
  group,
  people,
  viewer,
  onAcknowledged,
}: {
  group: NudgeGroup;
  people: People;
  viewer: WorkItemNudgesView['viewer'];
  onAcknowledged: (note: string, count: number) => void;
}) {
  const { locale } = useEnvironment();
  const violation = group.latest;
  const rule = RULE_CATALOGUE.get(violation.rule);
  const outcome = outcomeLabel(violation.outcome);
  const change = changeText(violation);
  const headingId = `srg-violation-${violation.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const times = group.rows.length;
  const aboutViewer = violation.actor === viewer.accountId;
  const openIds = group.rows.filter((r) => r.status === 'open').map((r) => r.id);
  return (
    <article className="srg-card" aria-labelledby={headingId}>
      <div className="srg-spread">
        <h3 id={headingId}>{ruleTitle(violation.rule)}</h3>
        <span className="srg-row-center">
          {times > 1 && <Badge appearance="default">{times} times</Badge>}
          <Badge appearance={outcome.appearance} title={outcome.description}>
            {outcome.text}
          </Badge>
          {violation.status === 'acknowledged' && <Badge appearance="success">Talked through</Badge>}
        </span>
      </div>
      <p>{nudgeText(violation.rule, violation.outcome)}</p>
      <dl className="srg-dl">
        <dt>Who</dt>
        <dd>
          {personName(people, violation.actor)} <span className="srg-subtle">({rolesText(violation.actorRoles)})</span>
        </dd>
        {change && (
          <>
            <dt>Change</dt>
            <dd>{change}</dd>
          </>
        )}
        <dt>When</dt>
        <dd>
          {times > 1 ? (
            <>
              {times} times, last{' '}
              <time dateTime={violation.occurredAt} title={formatDateTime(violation.occurredAt, locale)}>
                {formatRelative(violation.occurredAt, new Date(), locale)}
              </time>
              {formatRelative(group.first.occurredAt, new Date(), locale) !== formatRelative(violation.occurredAt, new Date(), locale) && (
                <span className="srg-subtle">
                  {' '}
                  (first{' '}
                  <time dateTime={group.first.occurredAt} title={formatDateTime(group.first.occurredAt, locale)}>
                    {formatRelative(group.first.occurredAt, new Date(), locale)}
                  </time>
                  )
                </span>
              )}
            </>
          ) : (
            <time dateTime={violation.occurredAt} title={formatDateTime(violation.occurredAt, locale)}>
              {formatRelative(violation.occurredAt, new Date(), locale)}
            </time>
          )}
        </dd>
        <dt>What happened</dt>
        <dd>{outcome.description}</dd>
        {rule && (
          <>
            <dt>Why</dt>
            <dd className="srg-small">{rule.basis}</dd>
          </>
        )}
      </dl>
      {violation.status === 'acknowledged' ? (
        <div className="srg-small">
          <span className="srg-subtle">
            Talked through by {violation.ackBy ? personName(people, violation.ackBy) : 'someone'}
            {violation.ackAt ? `, ${formatRelative(violation.ackAt, new Date(), locale)}` : ''}
          </span>
          {violation.ackNote && <blockquote className="srg-quote">{violation.ackNote}</blockquote>}
        </div>
      ) : viewer.canAcknowledge && aboutViewer ? (
        <OwnEntry />
      ) : (
        viewer.canAcknowledge && openIds.length > 0 && <AcknowledgeForm ids={openIds} onDone={(note) => onAcknowledged(note, openIds.length)} />
      )}
    </article>
  );
}

/** Someone who may close entries, looking at one about themselves: the button says why it does nothing. */
function OwnEntry() {
  const id = useId();
  return (
    <div className="srg-row-center">
      <Button small aria-disabled="true" aria-describedby={id} onClick={() => undefined}>
        Mark as talked through
      </Button>
      <span id={id} className="srg-small srg-subtle">
        This one is about you, so someone else talks it through with you: the Product Owner or the Scrum Master closes it.
      </span>
    </div>
  );
}

/** "Mark as talked through", which opens the note in its place; Cancel puts the button back, with the focus on it. */
function AcknowledgeForm({ ids, onDone }: { ids: readonly string[]; onDone: (note: string) => void }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLDivElement | null>(null);
  const cancelled = useRef(false);
  useEffect(() => {
    if (open || !cancelled.current) return;
    cancelled.current = false;
    opener.current?.querySelector('button')?.focus();
  }, [open]);

  if (!open) {
    return (
      <div ref={opener}>
        <Button small onClick={() => setOpen(true)}>
          {ids.length > 1 ? `Mark all ${ids.length} as talked through` : 'Mark as talked through'}
        </Button>
      </div>
    );
  }
  return (
    <NoteForm
      appearance="inline"
      autoFocus
      help="What was agreed. The team can read it."
      save={async (note) => {
        await call('acknowledge', { ids: [...ids], note });
        onDone(note);
      }}
      onCancel={() => {
        cancelled.current = true;
        setOpen(false);
      }}
    />
  );
}
