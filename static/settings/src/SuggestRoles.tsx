/**
 * "Suggest roles": proposes who holds each Scrum role from the project's recent history, with the
 * reason for each person. The admin takes a role's suggestion into the unsaved draft ("Use this") or
 * sets it aside; nothing is saved until they save, as with any other edit.
 */
import { useEffect, useReducer, useRef } from 'react';
import { call, LIMITS, type Person, type RoleKey, type RoleSuggestionView } from '../../kit/contract';
import { Button, ErrorBanner, PersonChip, ProgressBar, Spinner } from '../../kit/components';
import { plural } from '../../kit/format';
import { usePolled } from '../../kit/hooks';
import { ROLE_KEYS, ROLE_LABELS } from '../../kit/labels';
import { personName, type People } from '../../kit/people';
import { INITIAL_SUGGEST, suggestReducer, type SuggestionDecision } from './draft';

/** How long to wait before asking again how far the history was read. */
const POLL_MS = 1500;

/** Why a role has no suggestion, when the answer gives no reason of its own. */
const NO_SUGGESTION: Record<RoleKey, string> = {
  productOwner: 'Nobody ordered most of the backlog in this period, so there is nobody to suggest.',
  scrumMaster:
    'Jira’s history cannot tell who the Scrum Master is: coaching the team leaves no trace on work items. Keep who you have named; nothing here changes it.',
  developers: 'Nobody moved, estimated or split the team’s work often enough in this period to be suggested.',
  stakeholders: 'Everyone who brought or ordered work in this period is already suggested for another role.',
};

type Suggestion = RoleSuggestionView['suggestions'][number];

export function SuggestRoles({
  people,
  learnPeople,
  onUse,
}: {
  people: People;
  learnPeople: (found: readonly Person[]) => void;
  onUse: (role: RoleKey, accountIds: readonly string[]) => void;
}) {
  const [state, dispatch] = useReducer(suggestReducer, INITIAL_SUGGEST);
  return (
    <section className="srg-section srg-stack" aria-labelledby="suggest-heading">
      <div className="srg-spread">
        <div>
          <h2 id="suggest-heading">Suggest roles from history</h2>
          <p className="srg-small srg-subtle">
            Looks at the last {LIMITS.suggestDefaultDays} days of this project: who orders the backlog, who moves and estimates the team’s work. Each
            suggestion says why. Nothing changes until you use one and save.
          </p>
        </div>
        <Button onClick={() => dispatch({ type: 'suggest' })}>{state.run === 0 ? 'Suggest roles' : 'Suggest again'}</Button>
      </div>
      {state.run > 0 && (
        <SuggestionRun
          key={state.run}
          run={state.run}
          people={people}
          learnPeople={learnPeople}
          decided={state.decided}
          onDecide={(role, decision, accountIds) => {
            if (decision === 'used') onUse(role, accountIds);
            dispatch({ type: 'decide', role, decision });
          }}
        />
      )}
    </section>
  );
}

function SuggestionRun({
  run,
  people,
  learnPeople,
  decided,
  onDecide,
}: {
  run: number;
  people: People;
  learnPeople: (found: readonly Person[]) => void;
  decided: Readonly<Partial<Record<RoleKey, SuggestionDecision>>>;
  onDecide: (role: RoleKey, decision: SuggestionDecision, accountIds: readonly string[]) => void;
}) {
  const answer = usePolled(() => call('suggestRoles', { days: LIMITS.suggestDefaultDays }), String(run), (view) => view.state === 'computing', POLL_MS);
  const view = answer.data;
  const found = view?.people;
  useEffect(() => {
    if (found) learnPeople(found);
  }, [found, learnPeople]);

  if (answer.status === 'error' && !view) return <ErrorBanner title="No suggestions this time" error={answer.error} onRetry={answer.reload} />;
  if (!view) return <Spinner label="Reading the project's history" />;
  if (view.state === 'failed') return <ErrorBanner title="No suggestions this time" error={view.error ?? 'Reading the history stopped before it was done.'} onRetry={answer.reload} />;
  if (view.state === 'computing') {
    return view.progress ? (
      <ProgressBar label="Reading the project's history" value={view.progress.done} max={view.progress.total} detail={`${view.progress.done} of ${plural(view.progress.total, 'work item')} read`} />
    ) : (
      <Spinner label="Reading the project's history" />
    );
  }
  const byRole = new Map(view.suggestions.map((s) => [s.role, s]));
  return (
    <div className="srg-stack">
      <p role="status" className="srg-small">
        Suggestions from the last {plural(view.days, 'day')}. Using one puts its people in that role, in place of the people named there now (groups and
        project roles stay); nothing is saved until you save.
      </p>
      <div className="srg-grid-2">
        {ROLE_KEYS.map((role) => (
          <RoleSuggestion
            key={role}
            role={role}
            suggestion={byRole.get(role) ?? { role, accountIds: [], reasons: [] }}
            people={people}
            decision={decided[role]}
            onDecide={(decision, accountIds) => onDecide(role, decision, accountIds)}
          />
        ))}
      </div>
    </div>
  );
}

function RoleSuggestion({
  role,
  suggestion,
  people,
  decision,
  onDecide,
}: {
  role: RoleKey;
  suggestion: Suggestion;
  people: People;
  decision: SuggestionDecision | undefined;
  onDecide: (decision: SuggestionDecision, accountIds: readonly string[]) => void;
}) {
  const outcome = useRef<HTMLParagraphElement | null>(null);
  // The buttons go once a choice is made: the focus goes to the line saying what happened.
  useEffect(() => {
    if (decision) outcome.current?.focus();
  }, [decision]);
  const headingId = `suggest-${role}`;
  const suggested = suggestion.accountIds;
  const general = suggestion.reasons.filter((r) => !suggested.includes(r.accountId)).map((r) => r.why);
  return (
    <section className="srg-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{ROLE_LABELS[role]}</h3>
      {suggested.length === 0 ? (
        <p className="srg-small srg-subtle">No suggestion. {general.length > 0 ? general.join(' ') : NO_SUGGESTION[role]}</p>
      ) : (
        <>
          <ul className="srg-plain-list" style={{ gap: 'var(--srg-space-100)' }}>
            {suggested.map((accountId) => (
              <li key={accountId}>
                <PersonChip name={personName(people, accountId)} avatarUrl={people.get(accountId)?.avatarUrl} />
                <ul className="srg-plain-list srg-small srg-subtle" style={{ marginTop: '2px' }}>
                  {suggestion.reasons
                    .filter((r) => r.accountId === accountId)
                    .map((r) => (
                      <li key={r.why}>{capitalise(r.why)}</li>
                    ))}
                </ul>
              </li>
            ))}
          </ul>
          {general.length > 0 && <p className="srg-small srg-subtle">{general.join(' ')}</p>}
          {decision ? (
            <p ref={outcome} tabIndex={-1} className="srg-small srg-saved-line">
              {decision === 'used' ? 'In your unsaved changes. Save to keep it, or discard the changes.' : 'Set aside. The role stays as it is.'}
            </p>
          ) : (
            <div className="srg-row-center">
              <Button appearance="primary" small onClick={() => onDecide('used', suggested)}>
                Use this<span className="srg-visually-hidden"> for {ROLE_LABELS[role]}</span>
              </Button>
              <Button appearance="subtle" small onClick={() => onDecide('dismissed', suggested)}>
                Dismiss<span className="srg-visually-hidden"> the suggestion for {ROLE_LABELS[role]}</span>
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

