/**
 * "Try it first": replays the project's recent history through the rules on the page, saved or not,
 * and shows what they would have flagged and blocked, per rule and per person.
 */
import { useEffect, useMemo, useReducer, useRef } from 'react';
import { useEnvironment } from '../../kit/app';
import { call, LIMITS, type AuditView } from '../../kit/contract';
import { BarList, Badge, Button, DataTable, EmptyState, ErrorBanner, PersonChip, ProgressBar, TextField } from '../../kit/components';
import { formatDateTime, plural } from '../../kit/format';
import { rolesText, ruleTitle } from '../../kit/labels';
import { peopleOf, personName } from '../../kit/people';
import { auditDaysError, INITIAL_TRIAL, trialReducer, trialRunning, type ConfigDraft } from './draft';

/** How long to wait before asking how far the run got. */
const POLL_MS = 700;

export function TryItFirst({ draft, scope }: { draft: ConfigDraft; scope: 'project' | 'site' }) {
  const [{ days, daysError, starting, status, error }, dispatch] = useReducer(trialReducer, INITIAL_TRIAL);
  const polling = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (polling.current) clearTimeout(polling.current);
  }, []);

  if (scope === 'site') {
    return (
      <EmptyState title="Try it first works per project">
        <p>Open a project's settings to replay its recent history through the rules before you save them.</p>
      </EmptyState>
    );
  }

  const poll = (auditId: string) => {
    polling.current = setTimeout(async () => {
      try {
        const next = await call('auditProgress', { auditId });
        dispatch({ type: 'progress', status: next });
        if (trialRunning(next)) poll(auditId);
      } catch (failure) {
        dispatch({ type: 'failed', failure });
      }
    }, POLL_MS);
  };
  const start = async () => {
    const problem = auditDaysError(days);
    if (problem) {
      dispatch({ type: 'days-refused', message: problem });
      return;
    }
    dispatch({ type: 'start' });
    if (polling.current) clearTimeout(polling.current);
    try {
      const first = await call('startAudit', { document: { ...draft }, days: Number(days.trim()) });
      dispatch({ type: 'progress', status: first });
      if (trialRunning(first)) poll(first.auditId);
    } catch (failure) {
      dispatch({ type: 'failed', failure });
    }
  };
  const running = trialRunning(status);
  return (
    <div className="srg-stack">
      <p className="srg-subtle">
        Replays this project's recent history (changelogs and sprints) through the rules as they stand on this page, saved or not. Nothing is changed in
        Jira and nothing is logged: it only shows what the rules would have flagged or blocked.
      </p>
      <form
        noValidate
        className="srg-row"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <TextField
          label="Days of history"
          type="number"
          min={1}
          max={LIMITS.auditMaxDays}
          value={days}
          onChange={(value) => dispatch({ type: 'days', days: value })}
          error={daysError}
          help={`1 to ${LIMITS.auditMaxDays} days`}
        />
        <Button type="submit" appearance="primary" busy={starting || running} disabled={running}>
          {running ? 'Running' : 'Try it'}
        </Button>
      </form>
      {error !== null && <ErrorBanner title="The trial run did not work" error={error} onRetry={() => void start()} />}
      {status && <AuditResult status={status} />}
    </div>
  );
}

function AuditResult({ status }: { status: AuditView }) {
  const { locale } = useEnvironment();
  const people = useMemo(() => peopleOf(status.people), [status.people]);
  const total = status.byRule.reduce((sum, r) => sum + r.count, 0);
  const blocked = status.byRule.filter((r) => r.mode === 'block').reduce((sum, r) => sum + r.count, 0);
  const flagged = total - blocked;
  const byRule = [...status.byRule].sort((a, b) => b.count - a.count || ruleTitle(a.rule).localeCompare(ruleTitle(b.rule)));
  const modeOfRule = new Map(status.byRule.map((r) => [r.rule, r.mode]));
  return (
    <section className="srg-stack" aria-labelledby="audit-heading">
      <h2 id="audit-heading">What these rules would have caught</h2>
      {(status.state === 'running' || status.state === 'queued' || status.total > 0) && (
        <ProgressBar
          label={status.state === 'queued' ? 'Waiting to start' : status.state === 'running' ? 'Replaying the history' : 'History replayed'}
          value={status.processed}
          max={status.total}
          detail={`${status.processed} of ${plural(status.total, 'work item')}, ${plural(status.eventsReplayed, 'change')} replayed since ${formatDateTime(status.since, locale)}`}
        />
      )}
      <div role="status" aria-live="polite" className="srg-small">
        {status.state === 'done' &&
          (total === 0
            ? 'Done: nothing would have been flagged or blocked.'
            : `Done: ${plural(total, 'change')} would have gone against the Scrum roles: ${[
                flagged > 0 ? `${flagged} flagged` : null,
                blocked > 0 ? `${blocked} blocked (refused or undone)` : null,
              ]
                .filter(Boolean)
                .join(', ')}.`)}
        {status.state === 'failed' && `The trial run stopped: ${status.error ?? 'an unknown error'}.`}
      </div>
      {status.state === 'done' && total === 0 && (
        <EmptyState compact headingLevel={3} title="A clean record">
          <p>With these rules, nothing in this period went against the Scrum roles. Try a longer period, or save the rules as they are.</p>
        </EmptyState>
      )}
      {total > 0 && (
        <>
          <div className="srg-section">
            <BarList
              title="Per rule"
              description="How often each rule would have stepped in, and whether it would flag or block."
              valueLabel="times"
              items={byRule.map((r) => ({
                key: r.rule,
                label: ruleTitle(r.rule),
                value: r.count,
                detail: <Badge appearance={r.mode === 'block' ? 'danger' : 'warning'}>{r.mode === 'block' ? 'Blocked' : 'Flagged'}</Badge>,
              }))}
            />
          </div>
          <DataTable
            caption="Per person"
            rows={status.byPerson}
            rowKey={(row) => row.accountId}
            columns={[
              {
                key: 'who',
                header: 'Person',
                className: 'srg-col-who',
                render: (row) => (
                  <span>
                    <PersonChip name={personName(people, row.accountId)} avatarUrl={people.get(row.accountId)?.avatarUrl} />
                    <br />
                    <span className="srg-small srg-subtle">{rolesText(row.roles)}</span>
                  </span>
                ),
              },
              { key: 'count', header: 'Times', render: (row) => row.count },
              {
                key: 'rules',
                header: 'Rules they would have crossed',
                className: 'srg-col-rules',
                render: (row) => (
                  <ul className="srg-plain-list srg-small">
                    {row.rules.map((rule) => (
                      <li key={rule}>
                        {ruleTitle(rule)} <span className="srg-subtle">({modeOfRule.get(rule) === 'block' ? 'blocked' : 'flagged'})</span>
                      </li>
                    ))}
                  </ul>
                ),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}
