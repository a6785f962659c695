/**
 * Recording a violation: its id is decided here, from the event alone, so that a redelivered event
 * yields the same id and the log never holds it twice. The triggers, the queue consumer and the
 * workflow validator all build their records with violationOf.
 */
import { createHash } from 'node:crypto';
import type { Mode, RoleKey, RuleId } from './catalogue';
import type { DomainEvent, FieldChange, SprintRef } from './events';
import type { Outcome, ViolationRecord } from './violations';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The stable key of an event. Jira sends no event id: an update has its changelog id; the rest are
 * keyed by what they are about, so every delivery of one event gets one key.
 */
export function eventKey(event: DomainEvent): string {
  switch (event.kind) {
    case 'issue-updated':
      return event.changelogId ?? `changes-${event.issue.id}-${shortHash(JSON.stringify([event.actor, event.changes]))}`;
    case 'issue-created':
      return `created-${event.issue.id}`;
    case 'sprint-started':
      return `sprint-${event.sprint.id}-started`;
    case 'sprint-closed':
      return `sprint-${event.sprint.id}-closed`;
    case 'sprint-updated':
      return `sprint-${event.sprint.id}-goal-${shortHash(JSON.stringify([event.previousGoal ?? null, event.sprint.goal]))}`;
    case 'transition-attempt':
      return `refused-${event.issue.id ?? event.issue.key}-${event.toStatus ?? 'unknown'}-${event.attemptId}`;
  }
}

export function violationId(event: DomainEvent, rule: RuleId): string {
  return `${eventKey(event)}:${rule}`;
}

/** The running sprint among the item's sprints, if any. */
export function activeSprintId(sprints: readonly SprintRef[] | null): string | null {
  return sprints?.find((s) => s.state === 'active')?.id ?? null;
}

export interface ViolationFacts {
  readonly projectKey: string;
  readonly rule: RuleId;
  readonly mode: Exclude<Mode, 'off'>;
  readonly outcome: Outcome;
  /** The actor's roles (none for someone outside the Scrum Team, or when they could not be resolved). */
  readonly roles: readonly RoleKey[];
  /** The changelog item that broke the rule, for work item updates. */
  readonly change: FieldChange | null;
  /** The sprints the work item is in, as far as known (the event's own, or read from Jira since). */
  readonly sprints: readonly SprintRef[] | null;
  readonly at: Date;
}

/** What the record keeps of the change: the values and their text; a sprint event's goals; a transition's statuses. */
function valuesOf(event: DomainEvent, change: FieldChange | null): Pick<ViolationRecord, 'fromValue' | 'toValue' | 'fromText' | 'toText'> {
  if (change !== null) return { fromValue: change.from, toValue: change.to, fromText: change.fromText, toText: change.toText };
  switch (event.kind) {
    case 'transition-attempt':
      return { fromValue: event.fromStatus, toValue: event.toStatus, fromText: null, toText: null };
    case 'sprint-updated':
      return { fromValue: null, toValue: null, fromText: event.previousGoal ?? null, toText: event.sprint.goal };
    case 'sprint-started':
      return { fromValue: null, toValue: null, fromText: null, toText: event.sprint.goal };
    default:
      return { fromValue: null, toValue: null, fromText: null, toText: null };
  }
}

type NewRecord = Omit<ViolationRecord, 'status' | 'ackNote' | 'ackBy' | 'ackAt'>;

/** Every violation starts open, with nobody having talked it through yet. */
function opened(record: NewRecord): ViolationRecord {
  return { ...record, status: 'open', ackNote: null, ackBy: null, ackAt: null };
}

export function violationOf(event: DomainEvent, facts: ViolationFacts): ViolationRecord {
  const sprintEvent = event.kind === 'sprint-started' || event.kind === 'sprint-closed' || event.kind === 'sprint-updated';
  return opened({
    id: violationId(event, facts.rule),
    occurredAt: facts.at.toISOString(),
    projectKey: facts.projectKey,
    issueKey: 'issue' in event ? event.issue.key : null,
    issueId: 'issue' in event ? event.issue.id : null,
    actor: event.actor ?? '',
    actorRoles: facts.roles,
    rule: facts.rule,
    mode: facts.mode,
    outcome: facts.outcome,
    ...valuesOf(event, facts.change),
    sprintId: sprintEvent ? event.sprint.id : activeSprintId(facts.sprints),
  });
}

/**
 * The one record of status changes the workflow validator let through because Forge named nobody:
 * one per project (a redelivery or the next such transition finds it there), so the log is not flooded.
 */
export function unknownActorViolation(projectKey: string, issueKey: string, at: Date): ViolationRecord {
  const nothing = { fromValue: null, toValue: null, fromText: null, toText: null, sprintId: null };
  return opened({ id: `unknown-actor-${projectKey}:status-change`, occurredAt: at.toISOString(), projectKey, issueKey, issueId: null, actor: '', actorRoles: [], rule: 'status-change', mode: 'block', outcome: 'unjudgeable', ...nothing });
}
