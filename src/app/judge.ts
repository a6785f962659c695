/**
 * The judging service every trigger and consumer uses: normalise (core) -> config -> roles -> evaluate
 * (core) -> record each violation -> enforce block -> the work item's summary property.
 *
 * Idempotent by construction: a violation's id is `${changelogId}:${rule}` (sprint events get a stable
 * event key), the log never holds two rows with one id, and an undo first checks that the item has not
 * moved on since. Jira being busy propagates as JiraUnavailableError (the entry point asks Forge for a
 * retry); on the last try, or when the actor's roles cannot be resolved at all, the event is logged as
 * unjudgeable and nothing is undone on a guess.
 */
import { createHash } from 'node:crypto';
import { ROLE_KEYS, type RoleKey, type RuleId } from '../core/catalogue';
import { effectiveConfig, type EffectiveConfig } from '../core/config';
import { evaluate, rulesInPlay, addedSprintIds, type Verdict } from '../core/evaluate';
import { normaliseEvent, type DomainEvent, type FieldChange, type IssueUpdatedEvent, type SprintEvent } from '../core/events';
import type { ActorRoles } from '../core/roles';
import { rememberGoal, withPreviousGoal } from '../core/sprint-goals';
import { JiraRequestError, JiraUnavailableError, type IssueSnapshot, type JiraPort, type KeyValueCache, type RankSnapshot } from './enforcement-ports';
import type { Clock, ConfigStore, Outcome, ViolationLog, ViolationRecord } from './ports';
import { CONFIG_FRESH_SECONDS, configInEffect, type ConfigInEffect } from './project-config';
import { changelogNewer, ensureSeeded, rememberMove, revertRank } from './rank-order';
import { MemoryCache, type RoleResolver } from './roles-service';
import { buildSummary, SUMMARY_PROPERTY } from './summary';

export interface JudgeDeps {
  readonly jira: JiraPort;
  readonly configs: ConfigStore;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The project key an issue event names, before any validation (the config decides how to read the rest). */
function projectKeyOfIssueEvent(raw: Record<string, unknown>): string | null {
  const issue = raw['issue'];
  if (!isRecord(issue)) return null;
  const fields = issue['fields'];
  const project = isRecord(fields) ? fields['project'] : undefined;
  if (isRecord(project) && typeof project['key'] === 'string' && project['key'] !== '') return project['key'];
  const key = issue['key'];
  const match = typeof key === 'string' ? /^([A-Z][A-Z0-9_]*)-\d+$/.exec(key) : null;
  return match ? match[1]! : null;
}

function boardOfSprintEvent(raw: Record<string, unknown>): string | null {
  const sprint = raw['sprint'];
  if (!isRecord(sprint)) return null;
  const board = sprint['originBoardId'];
  return typeof board === 'number' || (typeof board === 'string' && board !== '') ? String(board) : null;
}

const memoryClock = { now: () => new Date() };
const appAccount = new MemoryCache<string>(memoryClock);
const boardProjects = new MemoryCache<string>(memoryClock);

export async function appAccountId(deps: Pick<JudgeDeps, 'jira' | 'cache'>): Promise<string> {
  const warm = appAccount.get('app');
  if (warm) return warm;
  let id = await deps.cache.get<string>('app-account-id');
  if (typeof id !== 'string') {
    id = await deps.jira.appAccountId();
    await deps.cache.set('app-account-id', id, null);
  }
  appAccount.set('app', id, 24 * 3600);
  return id;
}

async function projectOfBoard(boardId: string, deps: JudgeDeps): Promise<string | null> {
  const warm = boardProjects.get(boardId);
  if (warm) return warm;
  const key = `board-project:${boardId}`;
  let project = await deps.cache.get<string>(key);
  if (typeof project !== 'string') {
    const found = await deps.jira.boardProjectKey(boardId);
    if (found === null) return null;
    project = found;
    await deps.cache.set(key, project, 7 * 24 * 3600);
  }
  boardProjects.set(boardId, project, 3600);
  return project;
}

/** The stable key of an event, the first half of every violation id it yields. */
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
      return `refused-${event.issue.id}-${event.toStatus ?? 'unknown'}`;
  }
}

function activeSprintOf(event: DomainEvent): string | null {
  if (event.kind === 'sprint-started' || event.kind === 'sprint-closed' || event.kind === 'sprint-updated') return event.sprint.id;
  if ('issue' in event) return event.issue.sprints?.find((s) => s.state === 'active')?.id ?? null;
  return null;
}

export function violationRow(
  event: DomainEvent,
  projectKey: string,
  rule: RuleId,
  mode: 'flag' | 'block',
  outcome: Outcome,
  roles: readonly RoleKey[],
  change: FieldChange | null,
  at: Date,
): ViolationRecord {
  return {
    id: `${eventKey(event)}:${rule}`,
    occurredAt: at.toISOString(),
    projectKey,
    issueKey: 'issue' in event ? event.issue.key : null,
    issueId: 'issue' in event ? event.issue.id : null,
    actor: event.actor ?? '',
    actorRoles: roles,
    rule,
    mode,
    outcome,
    fromValue: change?.from ?? null,
    toValue: change?.to ?? null,
    fromText: change?.fromText ?? (event.kind === 'sprint-updated' ? (event.previousGoal ?? null) : null),
    toText: change?.toText ?? (event.kind === 'sprint-updated' || event.kind === 'sprint-started' ? event.sprint.goal : null),
    sprintId: activeSprintOf(event),
    status: 'open',
    ackNote: null,
    ackBy: null,
    ackAt: null,
  };
}

// ---------------------------------------------------------------------------------------------

interface Context {
  readonly deps: JudgeDeps;
  readonly config: ConfigInEffect;
  readonly effective: EffectiveConfig;
  readonly attempt: Attempt;
}

function changesOf(event: DomainEvent, field: FieldChange['field']): FieldChange[] {
  return event.kind === 'issue-updated' ? event.changes.filter((c) => c.field === field) : [];
}

/** Whether some rule that needs the item's current state (sprints, values, rank) is switched on. */
function needsIssueRead(event: IssueUpdatedEvent, effective: EffectiveConfig): boolean {
  const modes = effective.modes;
  const rank = changesOf(event, 'rank').length > 0 && (modes['backlog-rank'] !== 'off' || modes['sprint-rank'] !== 'off');
  const sprint = changesOf(event, 'sprint').length > 0 && modes['sprint-scope-add'] !== 'off';
  const restore = event.changes.some(
    (c) =>
      (c.field === 'estimate' && modes['estimate-change'] === 'block') ||
      (c.field === 'priority' && modes['priority-change'] === 'block') ||
      (c.field === 'assignee' && modes['assign-others'] === 'block'),
  );
  return rank || sprint || restore;
}

/**
 * Whether the app watches rank changes in this project. While it does (flag or block), its knowledge of
 * the order follows every move it leaves standing, so that a put-back in block mode lands where the item
 * really was, even after moves made while the rules only flagged.
 */
function rankWatched(effective: EffectiveConfig): boolean {
  return effective.modes['backlog-rank'] !== 'off' || effective.modes['sprint-rank'] !== 'off';
}

/** The event with the sprints the item is in now (the event itself does not say). */
async function withSprints(event: IssueUpdatedEvent, issue: IssueSnapshot, deps: JudgeDeps): Promise<IssueUpdatedEvent> {
  const sprints = issue.sprints ?? (await deps.jira.agileSprints(issue.key)) ?? [];
  return { ...event, issue: { ...event.issue, sprints } };
}

export async function judgeEvent(raw: unknown, deps: JudgeDeps, attempt: Attempt): Promise<JudgeResult> {
  if (!isRecord(raw)) return { kind: 'ignored', reason: 'not an event object' };
  // The app's own changes: Forge marks them, and the trigger filter drops them before this runs.
  if (raw['selfGenerated'] === true) return { kind: 'ignored', reason: 'the app made this change' };
  const eventType = raw['eventType'];
  let projectKey: string | null;
  if (eventType === 'avi:jira:updated:issue' || eventType === 'avi:jira:created:issue') projectKey = projectKeyOfIssueEvent(raw);
  else if (typeof eventType === 'string' && eventType.startsWith('avi:jira-software:') && eventType.endsWith(':sprint')) {
    const board = boardOfSprintEvent(raw);
    projectKey = board === null ? null : await projectOfBoard(board, deps);
  } else return { kind: 'ignored', reason: `not an event the app watches (${String(eventType)})` };
  if (projectKey === null) return { kind: 'ignored', reason: 'no project could be told from the event' };

  // A config read less than a minute ago in this container (saves elsewhere show within that time).
  const config = await configInEffect(projectKey, deps, CONFIG_FRESH_SECONDS);
  if (config === null) return { kind: 'ignored', reason: `project ${projectKey} is not configured` };
  const normalised = normaliseEvent(raw, config.fields);
  if (normalised.kind === 'ignored') return { kind: 'ignored', reason: normalised.reason };
  if (normalised.kind === 'error') {
    console.warn(`an event could not be read: ${normalised.error.message}`);
    return { kind: 'ignored', reason: `invalid payload: ${normalised.error.message}` };
  }
  const context: Context = { deps, config, effective: effectiveConfig(config.document), attempt };
  try {
    return await judgeInContext(normalised.event, context);
  } catch (error) {
    // Forge will not call again after the last try: what could not be judged is still on record, and
    // nothing was undone on a guess. Rows already written for this event stay as they are.
    if (error instanceof JiraUnavailableError && attempt.last) {
      return { kind: 'judged', violations: await recordUnjudgeable(normalised.event, rulesInPlay(normalised.event, context.effective), context, error) };
    }
    throw error;
  }
}

async function judgeInContext(judged: DomainEvent, context: Context): Promise<JudgeResult> {
  const { deps, config, attempt } = context;
  let event = judged;

  if (event.kind === 'sprint-started' || event.kind === 'sprint-closed' || event.kind === 'sprint-updated') {
    event = await withRememberedGoal(event, deps);
  }

  let issue: IssueSnapshot | null = null;
  if (event.kind === 'issue-updated' && needsIssueRead(event, context.effective)) {
    issue = await deps.jira.readIssue(event.issue.id, config.fields, { changelog: true });
    if (issue === null) return { kind: 'ignored', reason: 'the work item no longer exists' };
    event = await withSprints(event, issue, deps);
  }

  const inPlay = rulesInPlay(event, context.effective);
  if (inPlay.length > 0 && event.actor !== null && event.actor === (await appAccountId(deps))) {
    return { kind: 'ignored', reason: 'the app made this change' };
  }

  let verdicts: Verdict[] = [];
  let roles: ActorRoles | null = null;
  if (inPlay.length > 0 && event.actor !== null) {
    try {
      roles = await deps.roles.rolesOf(config, event.actor);
    } catch (error) {
      const unavailable = error instanceof JiraUnavailableError;
      if (unavailable && !attempt.last) throw error;
      if (!unavailable && !(error instanceof JiraRequestError)) throw error;
      return { kind: 'judged', violations: await recordUnjudgeable(event, inPlay, context, error) };
    }
    verdicts = evaluate(event, roles, context.effective);
  }

  const violations: JudgedViolation[] = [];
  const roleList = roles ? ROLE_KEYS.filter((r) => roles.has(r)) : [];
  if (verdicts.length > 0) event = await withKnownSprints(event, context);
  for (const verdict of verdicts) {
    violations.push(await handleVerdict(event, verdict, roleList, issue, context));
  }

  // The order the app knows follows every move it leaves standing.
  if (event.kind === 'issue-updated' && config.fields.rank !== undefined && changesOf(event, 'rank').length > 0) {
    if (!rankWatched(context.effective)) await forgetOrder(context);
    else if (issue !== null) await keepOrder(event, issue, violations, context);
  }
  if (event.kind === 'issue-created' && config.fields.rank !== undefined && rankWatched(context.effective)) await learnNewItem(event.issue.id, context);

  // Only when the log changed: a redelivery that found everything done writes nothing.
  if (violations.some((v) => v.inserted || v.outcome === 'reverted' || v.outcome === 'revert-skipped')) await writeSummary(event, context);
  return { kind: 'judged', violations };
}

/**
 * The event with the sprints its work item is in, so that every violation on an item in a sprint
 * records the sprint. Read only when a violation is about to be recorded and the event did not say
 * (events that break no rule cost no extra call). When Jira does not answer on the last try, the
 * violation is recorded without its sprint rather than not judged.
 */
async function withKnownSprints(event: DomainEvent, context: Context): Promise<DomainEvent> {
  if (!('issue' in event) || event.issue.sprints !== null) return event;
  try {
    const sprints = await context.deps.jira.agileSprints(event.issue.key);
    return sprints === null ? event : ({ ...event, issue: { ...event.issue, sprints } } as DomainEvent);
  } catch (error) {
    if (error instanceof JiraUnavailableError && !context.attempt.last) throw error;
    console.warn(`the sprint of ${event.issue.key} is not recorded: ${error instanceof Error ? error.message : String(error)}`);
    return event;
  }
}

async function withRememberedGoal(event: SprintEvent, deps: JudgeDeps): Promise<SprintEvent> {
  const key = `sprint-goal:${event.sprint.id}`;
  const stored = await deps.cache.get<{ goal: string | null }>(key);
  const known = new Map<string, string | null>(isRecord(stored) && 'goal' in stored ? [[event.sprint.id, stored.goal]] : []);
  const judged = withPreviousGoal(event, known) as SprintEvent;
  const after = rememberGoal(known, event);
  if (after !== known) await deps.cache.set(key, { goal: after.get(event.sprint.id) ?? null }, SPRINT_GOAL_SECONDS);
  return judged;
}

async function recordUnjudgeable(event: DomainEvent, rules: readonly RuleId[], context: Context, error: unknown): Promise<JudgedViolation[]> {
  console.warn(`${eventKey(event)} by ${event.actor ?? '(nobody)'} could not be judged: ${error instanceof Error ? error.message : String(error)}`);
  const out: JudgedViolation[] = [];
  for (const rule of rules) {
    const mode = context.effective.modes[rule];
    if (mode === 'off') continue;
    const change = event.kind === 'issue-updated' ? (event.changes.find((c) => ruleWatches(rule, c, event)) ?? null) : null;
    const row = violationRow(event, context.config.projectKey, rule, mode, 'unjudgeable', [], change, context.deps.clock.now());
    const result = await context.deps.log.record(row);
    out.push({ id: row.id, rule, outcome: 'unjudgeable', inserted: result === 'inserted' });
  }
  // A move left standing unread: the app no longer knows where the item is, and a later put-back would
  // return it to where it stood before this move, not before the later one. The order is learnt again.
  if (event.kind === 'issue-updated' && context.config.fields.rank !== undefined && changesOf(event, 'rank').length > 0) await forgetOrder(context);
  return out;
}

function ruleWatches(rule: RuleId, change: FieldChange, event: IssueUpdatedEvent): boolean {
  switch (rule) {
    case 'backlog-rank':
    case 'sprint-rank':
      return change.field === 'rank';
    case 'status-change':
      return change.field === 'status';
    case 'estimate-change':
      return change.field === 'estimate';
    case 'priority-change':
      return change.field === 'priority';
    case 'assign-others':
      return change.field === 'assignee' && change.to !== event.actor;
    case 'sprint-scope-add':
      return change.field === 'sprint';
    default:
      return false;
  }
}

async function handleVerdict(event: DomainEvent, verdict: Verdict, roles: readonly RoleKey[], issue: IssueSnapshot | null, context: Context): Promise<JudgedViolation> {
  const { deps } = context;
  const row = violationRow(event, context.config.projectKey, verdict.rule, verdict.mode, 'flagged', roles, verdict.change, deps.clock.now());
  const inserted = (await deps.log.record(row)) === 'inserted';
  const undoable = verdict.blockAction === 'revert-rank' || verdict.blockAction === 'restore-field' || verdict.blockAction === 'remove-from-sprint';
  if (verdict.mode !== 'block' || !undoable || event.kind !== 'issue-updated' || issue === null) {
    return { id: row.id, rule: verdict.rule, outcome: 'flagged', inserted };
  }
  const marker = `enforced:${row.id}`;
  const done = await deps.cache.get<{ outcome: Outcome }>(marker);
  if (done) return { id: row.id, rule: verdict.rule, outcome: done.outcome, inserted };

  const outcome = await undo(event, verdict, issue, context);
  if (outcome === null) return { id: row.id, rule: verdict.rule, outcome: 'flagged', inserted };
  await deps.log.setOutcome(row.id, outcome);
  await deps.cache.set(marker, { outcome }, ENFORCED_SECONDS);
  return { id: row.id, rule: verdict.rule, outcome, inserted };
}

/** The undo for one verdict: 'reverted', 'revert-skipped', or null when it was already done before. */
async function undo(event: IssueUpdatedEvent, verdict: Verdict, issue: IssueSnapshot, context: Context): Promise<Outcome | null> {
  const { deps, config } = context;
  const change = verdict.change;
  if (change === null) return 'revert-skipped';
  const changelogId = event.changelogId;
  const changedSince = (fieldId: string): boolean =>
    changelogId !== null && (issue.changelog?.some((h) => changelogNewer(h.id, changelogId) && h.fieldIds.includes(fieldId)) ?? false);

  switch (verdict.blockAction) {
    case 'revert-rank': {
      const rankField = config.fields.rank;
      if (rankField === undefined || changelogId === null) return 'revert-skipped';
      const seededNow = await ensureSeeded(config.projectKey, rankField, deps);
      // Seeded from Jira just now: the snapshot shows the order after the move, not before it.
      if (seededNow) return 'revert-skipped';
      const result = await revertRank(issue, config.projectKey, changelogId, rankField, deps);
      if (result.outcome === 'already-handled') return null;
      if (result.outcome === 'revert-skipped') console.info(`rank of ${issue.key} not put back: ${result.reason}`);
      return result.outcome;
    }
    case 'restore-field': {
      if (changedSince(change.fieldId)) return 'revert-skipped';
      const same = (a: string | null, b: string | null): boolean =>
        change.field === 'estimate' ? normalisedNumber(a) === normalisedNumber(b) : (a ?? null) === (b ?? null);
      const current = currentValue(change, issue);
      if (same(current, valueBefore(change))) return null; // already back where it was
      if (!same(current, valueAfter(change))) return 'revert-skipped';
      const edit = restoringEdit(change, config.fields.estimate);
      if (edit === null) return 'revert-skipped';
      await deps.jira.editFields(issue.key, edit);
      return 'reverted';
    }
    case 'remove-from-sprint': {
      if (config.fields.sprint !== undefined && changedSince(config.fields.sprint)) return 'revert-skipped';
      const added = addedSprintIds(change);
      const stillIn = issue.sprints?.some((s) => added.includes(s.id) && s.state === 'active') ?? false;
      if (!stillIn) return 'revert-skipped';
      await deps.jira.moveToBacklog([issue.key]);
      return 'reverted';
    }
    default:
      return 'revert-skipped';
  }
}

/** Jira writes number fields (story points) into changelogs as text only: `from` is null, `fromString` "5" (fromText). */
function valueBefore(change: FieldChange): string | null {
  return change.field === 'estimate' ? (change.from ?? change.fromText) : change.from;
}

function valueAfter(change: FieldChange): string | null {
  return change.field === 'estimate' ? (change.to ?? change.toText) : change.to;
}

function normalisedNumber(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? String(n) : value;
}

/** The field's value now, in the changelog's own terms (ids, numbers as text). */
function currentValue(change: FieldChange, issue: IssueSnapshot): string | null {
  switch (change.field) {
    case 'estimate':
      return issue.estimate === null ? null : String(issue.estimate);
    case 'priority':
      return issue.priorityId;
    case 'assignee':
      return issue.assigneeId;
    default:
      return null;
  }
}

function restoringEdit(change: FieldChange, estimateField: string | undefined): Record<string, unknown> | null {
  switch (change.field) {
    case 'estimate': {
      if (estimateField === undefined) return null;
      const value = normalisedNumber(valueBefore(change));
      return { [estimateField]: value === null ? null : Number(value) };
    }
    case 'priority':
      return change.from === null ? null : { priority: { id: change.from } };
    case 'assignee':
      return { assignee: change.from === null ? null : { accountId: change.from } };
    default:
      return null;
  }
}

/**
 * A move the app does not follow (both rank rules off) makes what it knew of the order stale: it is
 * learnt again from Jira on the next rank event it watches, rather than trusted for a put-back.
 */
async function forgetOrder(context: Context): Promise<void> {
  const { ranks } = context.deps;
  if (await ranks.isSeeded(context.config.projectKey)) await ranks.forgetSeeded(context.config.projectKey);
}

/**
 * A work item created after the order was learnt joins what the app knows, so that a forbidden first
 * move of it can be put back too. An entry already there came from a rank event of the item (a late
 * creation event) and is newer: it is kept.
 */
async function learnNewItem(issueId: string, context: Context): Promise<void> {
  const { deps, config } = context;
  if (!(await deps.ranks.isSeeded(config.projectKey)) || (await deps.ranks.get(issueId)) !== undefined) return;
  const issue = await deps.jira.readIssue(issueId, config.fields, { changelog: false });
  if (issue === null || issue.rank === null) return;
  await deps.ranks.put({ issueId: issue.id, issueKey: issue.key, project: config.projectKey, rank: issue.rank, orderKey: issue.rank, changelogId: '0' });
}

async function keepOrder(event: IssueUpdatedEvent, issue: IssueSnapshot, violations: readonly JudgedViolation[], context: Context): Promise<void> {
  const { deps, config } = context;
  const rankField = config.fields.rank!;
  if (changesOf(event, 'rank').length === 0 || event.changelogId === null) return;
  const handled = violations.some((v) => (v.rule === 'backlog-rank' || v.rule === 'sprint-rank') && v.outcome === 'reverted');
  if (handled) return;
  if (await ensureSeeded(config.projectKey, rankField, deps)) return;
  await rememberMove(issue, config.projectKey, event.changelogId, deps.ranks);
}

async function writeSummary(event: DomainEvent, context: Context): Promise<void> {
  if (!('issue' in event)) return;
  const { deps } = context;
  const summary = await buildSummary(deps.log, context.config.projectKey, event.issue.key, deps.clock.now());
  await deps.jira.setIssueProperty(event.issue.key, SUMMARY_PROPERTY, summary);
}

