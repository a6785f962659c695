/**
 * Forge's sprint-updated event carries the changed fields' old values in `oldValue`, which the normaliser
 * reads into `previousGoal`. An event without it (an older payload, a hand-written one) still needs the
 * goal it replaced: whoever replays events (the trigger, the audit, the CLI) keeps the goals it has seen
 * and hands the previous one to the engine, only as that fallback.
 */
import type { DomainEvent, SprintEvent } from './events';

export type SprintGoals = ReadonlyMap<string, string | null>;

/** The event as the engine should judge it: a sprint update with the goal it replaced, when known. */
export function withPreviousGoal(event: DomainEvent, goals: SprintGoals): DomainEvent {
  if (event.kind !== 'sprint-updated' || event.previousGoal !== undefined || !goals.has(event.sprint.id)) return event;
  const previous: SprintEvent = { ...event, previousGoal: goals.get(event.sprint.id) ?? null };
  return previous;
}

/** The goals after this event. Returns the same map when nothing changed. */
export function rememberGoal(goals: SprintGoals, event: DomainEvent): SprintGoals {
  if (event.kind !== 'sprint-started' && event.kind !== 'sprint-updated' && event.kind !== 'sprint-closed') return goals;
  if (goals.get(event.sprint.id) === event.sprint.goal && goals.has(event.sprint.id)) return goals;
  const next = new Map(goals);
  next.set(event.sprint.id, event.sprint.goal);
  return next;
}
