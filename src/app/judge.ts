/**
 * The judging service every trigger and the queue consumer use. One way through: the routed event
 * (core) -> the project's config -> normalised (core) -> the work item now, when a rule needs it -> the
 * actor's roles -> verdicts (core) -> each violation logged -> in block mode the undo the core plans ->
 * the order the app knows -> the work item's summary property.
 *
 * Idempotent by construction: a violation's id comes from the event alone (core/violations.ts), the log
 * never holds two rows with one id, a done undo is marked, and the plan checks that the item has not
 * moved on since. Jira being busy propagates as JiraUnavailableError (the entry point asks Forge for a
 * retry); on the last try, or when the actor's roles cannot be resolved at all, the event is logged as
 * unjudgeable and nothing is undone on a guess.
 */
import { ROLE_KEYS, type RoleKey, type RuleId } from '../core/catalogue';
import { effectiveConfig, type EffectiveConfig } from '../core/config';
import { evaluate, needsItemNow, rankWatched, rulesInPlay, type Candidate, type KnownSprints, type Verdict } from '../core/evaluate';
import { normaliseEvent, type DomainEvent, type FieldChange, type IssueUpdatedEvent, type SprintEvent } from '../core/events';
import type { EventRoute } from '../core/routing';
import { rememberGoal, withPreviousGoal } from '../core/sprint-goals';
import { planUndo } from '../core/undo';
import { eventKey, violationOf } from '../core/recording';
import type { Outcome } from '../core/violations';
import { isRecord } from '../core/issues';
import { JiraRequestError, JiraUnavailableError, type Clock, type IssueSnapshot, type JiraPort, type KeyValueCache, type RankSnapshot, type ViolationLog } from './ports';
import { CONFIG_FRESH_SECONDS, type ConfigInEffect, type ProjectConfigs } from './project-config';
import { followRankEvent, learnNewItem, moveBack } from './rank-order';
import type { RoleResolver } from './roles-service';
import type { SiteFacts } from './site-facts';
import { buildSummary, SUMMARY_PROPERTY } from './summary';

export interface JudgeDeps {
  readonly jira: JiraPort;
  readonly projectConfigs: ProjectConfigs;
  readonly site: SiteFacts;
  readonly log: ViolationLog;
  readonly cache: KeyValueCache;
  readonly ranks: RankSnapshot;
  readonly roles: RoleResolver;
  readonly clock: Clock;
}

export interface Attempt {
  /** 0 for the first delivery. */
  readonly retryCount: number;
  /** No retry will follow: record what can be recorded rather than fail. */
  readonly last: boolean;
}

export interface JudgedViolation {
  readonly id: string;
  readonly rule: RuleId;
  readonly outcome: Outcome;
  readonly inserted: boolean;
}

export type JudgeResult =
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'judged'; readonly violations: readonly JudgedViolation[] };

const SPRINT_GOAL_SECONDS = 400 * 24 * 3600;
/** Marks an undo as done, so a redelivery does not undo twice (kept longer than Forge redelivers). */
const ENFORCED_SECONDS = 14 * 24 * 3600;
const UNDOABLE = new Set(['revert-rank', 'restore-field', 'remove-from-sprint']);

interface Context {
  readonly deps: JudgeDeps;
  readonly config: ConfigInEffect;
  readonly effective: EffectiveConfig;
  readonly attempt: Attempt;
}

/** The work item as Jira has it now (when a rule needed it), and the sprints it is in, as far as known. */
interface ItemState {
  readonly issue: IssueSnapshot | null;
  readonly sprints: KnownSprints;
}

const ignored = (reason: string): JudgeResult => ({ kind: 'ignored', reason });

export async function judgeEvent(route: EventRoute, deps: JudgeDeps, attempt: Attempt): Promise<JudgeResult> {
  if (route.kind === 'ignored') return ignored(route.reason);
  const projectKey = route.kind === 'issue' ? route.projectKey : route.boardId === null ? null : await deps.site.projectOfBoard(route.boardId);
  if (projectKey === null) return ignored('no project could be told from the event');
  // A config read less than a minute ago in this container (saves elsewhere show within that time).
  const config = await deps.projectConfigs.inEffect(projectKey, CONFIG_FRESH_SECONDS);
  if (config === null) return ignored(`project ${projectKey} is not configured`);
  const normalised = normaliseEvent(route.raw, config.fields);
  if (normalised.kind === 'ignored') return ignored(normalised.reason);
  if (normalised.kind === 'error') {
    console.warn(`an event could not be read: ${normalised.error.message}`);
    return ignored(`invalid payload: ${normalised.error.message}`);
  }
  const context: Context = { deps, config, effective: effectiveConfig(config.document), attempt };
  const event = normalised.event;
  try {
    return await judgeInContext(event, context);
  } catch (error) {
    // Forge will not call again after the last try: what could not be judged is still on record, and
    // nothing was undone on a guess. Rows already written for this event stay as they are.
    if (error instanceof JiraUnavailableError && attempt.last) {
      const sprints = 'issue' in event ? event.issue.sprints : null;
      return { kind: 'judged', violations: await recordUnjudgeable(event, rulesInPlay(event, context.effective), { issue: null, sprints }, context, error) };
    }
    throw error;
  }
}

async function judgeInContext(normalised: DomainEvent, context: Context): Promise<JudgeResult> {
  const { deps, config, effective, attempt } = context;
  const sprintEvent = normalised.kind === 'sprint-started' || normalised.kind === 'sprint-closed' || normalised.kind === 'sprint-updated';
  const event = sprintEvent ? await withRememberedGoal(normalised, deps) : normalised;

  let item: ItemState = { issue: null, sprints: 'issue' in event ? event.issue.sprints : null };
  if (event.kind === 'issue-updated' && needsItemNow(event, effective)) {
    const issue = await deps.jira.readIssue(event.issue.id, config.fields, { changelog: true });
    if (issue === null) return ignored('the work item no longer exists');
    // The event does not say which sprints the item is in: the read does, or the Agile API.
    item = { issue, sprints: issue.sprints ?? (await deps.jira.agileSprints(issue.key)) ?? [] };
  }

  const inPlay = rulesInPlay(event, effective, item.sprints);
  if (inPlay.length > 0 && event.actor === (await deps.site.appAccountId())) return ignored('the app made this change');

  let verdicts: Verdict[] = [];
  let roleList: RoleKey[] = [];
  if (inPlay.length > 0 && event.actor !== null) {
    try {
      const roles = await deps.roles.rolesOf(config, event.actor);
      roleList = ROLE_KEYS.filter((r) => roles.has(r));
      verdicts = evaluate(event, roles, effective, item.sprints);
    } catch (error) {
      const unavailable = error instanceof JiraUnavailableError;
      if ((unavailable && !attempt.last) || !(unavailable || error instanceof JiraRequestError)) throw error;
      return { kind: 'judged', violations: await recordUnjudgeable(event, inPlay, item, context, error) };
    }
  }

  if (verdicts.length > 0) item = { ...item, sprints: await sprintsToRecord(event, item.sprints, context) };
  const violations: JudgedViolation[] = [];
  for (const verdict of verdicts) violations.push(await handleVerdict(event, verdict, roleList, item, context));

  const movedBack = violations.some((v) => (v.rule === 'backlog-rank' || v.rule === 'sprint-rank') && v.outcome === 'reverted');
  await followOrder(event, { issue: item.issue, movedBack, judged: true }, context);

  // Only when the log changed: a redelivery that found everything done writes nothing.
  if (violations.some((v) => v.inserted || v.outcome === 'reverted' || v.outcome === 'revert-skipped')) await writeSummary(event, context);
  return { kind: 'judged', violations };
}

/**
 * The sprints to record with a violation on a work item: read only when a violation is about to be
 * recorded and nothing said (events that break no rule cost no extra call). When Jira does not answer
 * on the last try, the violation is recorded without its sprint rather than not judged.
 */
async function sprintsToRecord(event: DomainEvent, known: KnownSprints, context: Context): Promise<KnownSprints> {
  if (!('issue' in event) || known !== null) return known;
  try {
    return await context.deps.jira.agileSprints(event.issue.key);
  } catch (error) {
    if (error instanceof JiraUnavailableError && !context.attempt.last) throw error;
    console.warn(`the sprint of ${event.issue.key} is not recorded: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** The sprint's goal is remembered; an update gets the goal it replaced, when it does not say and the app knows. */
async function withRememberedGoal(event: SprintEvent, deps: JudgeDeps): Promise<SprintEvent> {
  const key = `sprint-goal:${event.sprint.id}`;
  const stored = await deps.cache.get<{ goal: string | null }>(key);
  const known = new Map<string, string | null>(isRecord(stored) && 'goal' in stored ? [[event.sprint.id, stored.goal]] : []);
  const after = rememberGoal(known, event);
  if (after !== known) await deps.cache.set(key, { goal: after.get(event.sprint.id) ?? null }, SPRINT_GOAL_SECONDS);
  return withPreviousGoal(event, known) as SprintEvent;
}

async function recordUnjudgeable(event: DomainEvent, inPlay: readonly Candidate[], item: ItemState, context: Context, error: unknown): Promise<JudgedViolation[]> {
  console.warn(`${eventKey(event)} by ${event.actor ?? '(nobody)'} could not be judged: ${error instanceof Error ? error.message : String(error)}`);
  const { deps, config, effective } = context;
  const out: JudgedViolation[] = [];
  for (const { rule, change } of inPlay) {
    const mode = effective.modes[rule];
    if (mode === 'off') continue;
    const row = violationOf(event, { projectKey: config.projectKey, rule, mode, outcome: 'unjudgeable', roles: [], change, sprints: item.sprints, at: deps.clock.now() });
    const result = await deps.log.record(row);
    out.push({ id: row.id, rule, outcome: 'unjudgeable', inserted: result === 'inserted' });
  }
  await followOrder(event, { issue: item.issue, movedBack: false, judged: false }, context);
  return out;
}

async function handleVerdict(event: DomainEvent, verdict: Verdict, roles: readonly RoleKey[], item: ItemState, context: Context): Promise<JudgedViolation> {
  const { deps, config } = context;
  const row = violationOf(event, { projectKey: config.projectKey, rule: verdict.rule, mode: verdict.mode, outcome: 'flagged', roles, change: verdict.change, sprints: item.sprints, at: deps.clock.now() });
  const inserted = (await deps.log.record(row)) === 'inserted';
  const flagged: JudgedViolation = { id: row.id, rule: verdict.rule, outcome: 'flagged', inserted };
  if (verdict.mode !== 'block' || !UNDOABLE.has(verdict.blockAction) || event.kind !== 'issue-updated' || item.issue === null || verdict.change === null) return flagged;
  const marker = `enforced:${row.id}`;
  const done = await deps.cache.get<{ outcome: Outcome }>(marker);
  if (done) return { ...flagged, outcome: done.outcome };

  const undone = await undo(event, verdict.change, item.issue, context);
  if (undone.kind === 'already-undone') return flagged;
  await deps.log.setOutcome(row.id, undone.outcome);
  await deps.cache.set(marker, { outcome: undone.outcome }, ENFORCED_SECONDS);
  return { ...flagged, outcome: undone.outcome };
}

type Undo = { readonly kind: 'done'; readonly outcome: 'reverted' | 'revert-skipped' } | { readonly kind: 'already-undone' };

/** Carries out the core's plan for one change, given the item as read after the event. */
async function undo(event: IssueUpdatedEvent, change: FieldChange, issue: IssueSnapshot, context: Context): Promise<Undo> {
  const { deps, config } = context;
  const plan = planUndo(change, issue, { changelogId: event.changelogId, fields: config.fields, appAccountId: await deps.site.appAccountId() });
  switch (plan.kind) {
    case 'already-undone':
      return plan;
    case 'skip':
      return { kind: 'done', outcome: 'revert-skipped' };
    case 'edit':
      await deps.jira.editFields(issue.key, plan.fields);
      return { kind: 'done', outcome: 'reverted' };
    case 'remove-from-sprint':
      await deps.jira.moveToBacklog([issue.key]);
      return { kind: 'done', outcome: 'reverted' };
    case 'rank-back': {
      const result = await moveBack(issue, config.projectKey, plan.changelogId, plan.rankFieldId, deps);
      if (result.kind === 'already-undone') return result;
      if (result.kind === 'skipped') console.info(`rank of ${issue.key} not moved back: ${result.reason}`);
      return { kind: 'done', outcome: result.kind === 'moved-back' ? 'reverted' : 'revert-skipped' };
    }
  }
}

/** The order the app knows, after a rank change or a creation (rank-order.ts decides what it learns). */
async function followOrder(event: DomainEvent, outcome: { issue: IssueSnapshot | null; movedBack: boolean; judged: boolean }, context: Context): Promise<void> {
  const { deps, config, effective } = context;
  const rankField = config.fields.rank;
  if (rankField === undefined) return;
  if (event.kind === 'issue-updated' && event.changes.some((c) => c.field === 'rank')) {
    await followRankEvent(config.projectKey, rankField, { changelogId: event.changelogId, watched: rankWatched(effective), ...outcome }, deps);
  } else if (event.kind === 'issue-created' && outcome.judged && rankWatched(effective)) {
    await learnNewItem(event.issue.id, config.projectKey, config.fields, deps);
  }
}

async function writeSummary(event: DomainEvent, context: Context): Promise<void> {
  if (!('issue' in event)) return;
  const { deps } = context;
  const summary = await buildSummary(deps.log, context.config.projectKey, event.issue.key, deps.clock.now());
  await deps.jira.setIssueProperty(event.issue.key, SUMMARY_PROPERTY, summary);
}
