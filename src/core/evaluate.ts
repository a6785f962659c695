/**
 * The one decision function: `(event, actor's roles, config) -> verdicts`. The workflow validator,
 * the triggers, the issue panel, the audit and the CLI all ask it, so they can never disagree.
 */
import { RULES, type BlockAction, type Mode, type RoleKey, type RuleId } from './catalogue';
import type { EffectiveConfig } from './config';
import type { DomainEvent, FieldChange, IssueUpdatedEvent, Sprint, SprintEvent, SprintRef } from './events';
import type { ActorRoles } from './roles';

export interface Verdict {
  readonly rule: RuleId;
  readonly mode: Exclude<Mode, 'off'>;
  readonly message: string;
  readonly basis: string;
  /** What block does for this rule; `none` when the rule can only be flagged. */
  readonly blockAction: BlockAction;
  /** The changelog item that broke the rule, for issue updates. */
  readonly change: FieldChange | null;
}

/** A rule that applies to the event, before the actor's roles and the mode are looked at. */
export interface Candidate {
  readonly rule: RuleId;
  readonly change: FieldChange | null;
}

/**
 * The sprints the event's work item is in, when known beyond the event: an update says nothing of
 * them, so the trigger reads them from Jira before judging a rank or sprint change.
 */
export type KnownSprints = readonly SprintRef[] | null;

function sprintIdList(value: string | null): string[] {
  if (value === null || value.trim() === '') return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Sprint ids the change added the item to. */
export function addedSprintIds(change: FieldChange): string[] {
  const before = new Set(sprintIdList(change.from));
  return sprintIdList(change.to).filter((id) => !before.has(id));
}

/** The calendar date part of an ISO timestamp, in the offset it was written with. */
function calendarDay(iso: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(iso);
  return match ? match[1]! : null;
}

/** "Closed before its end date": completed on an earlier calendar day than the planned end. */
export function closedBeforeEnd(sprint: Sprint): boolean {
  if (sprint.completeDate === null || sprint.endDate === null) return false;
  const done = calendarDay(sprint.completeDate);
  const end = calendarDay(sprint.endDate);
  return done !== null && end !== null && done < end;
}

function normaliseGoal(goal: string | null | undefined): string {
  return (goal ?? '').trim();
}

/**
 * Whether an assignee change gives the item to someone other than the actor. Account ids are
 * compared: older payloads put a user name in `to` and the account id beside it.
 */
function assignsSomeoneElse(change: FieldChange, actor: string | null): boolean {
  if (change.to === null || change.to === '') return false;
  return change.to !== actor && (change.toAccountId ?? null) !== actor;
}

/**
 * Whether an update changed the goal of a running sprint. Writing a goal where there was none is not a
 * change: it is what the start-without-goal nudge asks for.
 */
export function goalChanged(event: SprintEvent): boolean {
  if (event.kind !== 'sprint-updated' || event.sprint.state !== 'active' || event.previousGoal === undefined) return false;
  const before = normaliseGoal(event.previousGoal);
  return before !== '' && before !== normaliseGoal(event.sprint.goal);
}

function candidates(event: DomainEvent, known: KnownSprints): Candidate[] {
  switch (event.kind) {
    case 'issue-updated': {
      const sprints = known ?? event.issue.sprints;
      const inSprint = sprints?.some((s) => s.state === 'active') ?? false;
      const found: Candidate[] = [];
      for (const change of event.changes) {
        switch (change.field) {
          case 'rank':
            found.push({ rule: inSprint ? 'sprint-rank' : 'backlog-rank', change });
            break;
          case 'status':
            found.push({ rule: 'status-change', change });
            break;
          case 'estimate':
            found.push({ rule: 'estimate-change', change });
            break;
          case 'priority':
            found.push({ rule: 'priority-change', change });
            break;
          case 'assignee':
            if (assignsSomeoneElse(change, event.actor)) found.push({ rule: 'assign-others', change });
            break;
          case 'sprint': {
            const added = addedSprintIds(change);
            const active = sprints?.filter((s) => s.state === 'active').map((s) => s.id) ?? [];
            if (added.some((id) => active.includes(id))) found.push({ rule: 'sprint-scope-add', change });
            break;
          }
        }
      }
      return found;
    }
    case 'transition-attempt':
      return [{ rule: 'status-change', change: null }];
    case 'issue-created':
      return [{ rule: event.issue.subtask ? 'subtask-create' : 'item-create', change: null }];
    case 'sprint-started':
      return normaliseGoal(event.sprint.goal) === '' ? [{ rule: 'sprint-start-without-goal', change: null }] : [];
    case 'sprint-closed':
      return closedBeforeEnd(event.sprint) ? [{ rule: 'sprint-cancel', change: null }] : [];
    case 'sprint-updated':
      return goalChanged(event) ? [{ rule: 'sprint-goal-change', change: null }] : [];
  }
}

export function isAllowed(rule: RuleId, roles: ActorRoles): boolean {
  const allowed: readonly RoleKey[] = RULES[rule].allowed;
  for (const role of allowed) if (roles.has(role)) return true;
  return false;
}

/**
 * The rules (not off) the event could break at all, whatever the actor's roles, each with the change
 * it concerns: whether roles need looking up, and what to log when they cannot be.
 */
export function rulesInPlay(event: DomainEvent, effective: EffectiveConfig, sprints: KnownSprints = null): Candidate[] {
  // The app's own changes, and changes nobody made (automation without an actor), are never judged.
  if (event.selfGenerated || event.actor === null) return [];
  return candidates(event, sprints).filter((c) => effective.modes[c.rule] !== 'off');
}

export function evaluate(event: DomainEvent, roles: ActorRoles, effective: EffectiveConfig, sprints: KnownSprints = null): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const { rule, change } of rulesInPlay(event, effective, sprints)) {
    const mode = effective.modes[rule];
    if (mode === 'off' || isAllowed(rule, roles)) continue;
    const definition = RULES[rule];
    verdicts.push({ rule, mode, message: definition.message, basis: definition.basis, blockAction: definition.blockAction, change });
  }
  return verdicts;
}

/** Whether the app watches rank changes (flag or block): its knowledge of the order then follows every move. */
export function rankWatched(effective: EffectiveConfig): boolean {
  return effective.modes['backlog-rank'] !== 'off' || effective.modes['sprint-rank'] !== 'off';
}

/**
 * Whether judging an update needs the work item as it is now: a rank or sprint change (which rule
 * applies depends on the sprints it is in, which an update does not carry), or a value to restore.
 */
export function needsItemNow(event: IssueUpdatedEvent, effective: EffectiveConfig): boolean {
  const modes = effective.modes;
  return event.changes.some(
    (c) =>
      (c.field === 'rank' && rankWatched(effective)) ||
      (c.field === 'sprint' && modes['sprint-scope-add'] !== 'off') ||
      (c.field === 'estimate' && modes['estimate-change'] === 'block') ||
      (c.field === 'priority' && modes['priority-change'] === 'block') ||
      (c.field === 'assignee' && modes['assign-others'] === 'block'),
  );
}
