/**
 * Role health and role suggestions, computed from Jira's history through a queue (the audit's: the
 * work has the same shape and cost as an audit step, so the same consumer, retries and timeout fit).
 * A `prepare` step finds the work items changed since the oldest sprint wanted; each `replay` step
 * replays 50 of them through the audit's replay (the same normaliser and role resolution) and queues
 * the next. Progress lives in the cache port under the project's run.
 *
 * What is kept: a closed sprint never changes, so its figures (and the changes behind each cell) are
 * stored once computed, under a fingerprint of the role map and who it resolves to (a new role map
 * computes again). The active sprint's are recomputed when older than five minutes. Nothing is written
 * per product event.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Accountability } from '../core/accountability';
import { parseConfigOrThrow, defaultConfig, type ProjectConfig } from '../core/config';
import type { FieldIds } from '../core/events';
import { countActions, healthActionsOf, sprintHolding, type ActionCounts, type HealthAction, type HealthSprint } from '../core/role-health';
import type { PersonCounts } from '../core/role-suggest';
import { changedSinceJql, replayIssueChanges, type AuditDirectory, type AuditSprint, type ReplayContext } from './audit';
import { readAuditIssues } from './history-reads';
import type { AgileSprint, Clock, EventQueue, JiraReads, KeyValueCache } from './ports';
import { DAY_MS } from './retention';

export const HEALTH_CHUNK_SIZE = 50;
/** The most work items one computation looks at. */
export const HEALTH_MAX_ISSUES = 5000;
/** The active sprint's figures are recomputed when older than this. */
export const ACTIVE_FRESH_MS = 5 * 60_000;
/** A closed sprint's figures do not change; kept long, but not for ever (a project may be deleted). */
const CLOSED_KEPT_SECONDS = 180 * 86_400;
const ACTIVE_KEPT_SECONDS = 86_400;
const RUN_KEPT_SECONDS = 86_400;
/** A run with no step for this long was lost (a consumer gave up): the next call starts again. */
const RUN_STALE_MS = 10 * 60_000;
/** A suggestion is answered again from the finished run for this long. */
const SUGGESTION_FRESH_MS = 10 * 60_000;
/** The drill-down keeps this many changes per sprint (the newest); the counts cover all of them. */
export const HEALTH_MAX_ACTIONS_PER_SPRINT = 1000;

export interface HealthDeps {
  readonly reads: JiraReads;
  readonly cache: KeyValueCache;
  readonly clock: Clock;
  readonly queue: EventQueue;
}

/** A sprint's figures as stored. */
export interface StoredSprintFigures {
  readonly sprint: HealthSprint;
  readonly counts: ActionCounts;
  readonly actors: readonly string[];
  readonly computedAt: string;
}

type RunState = 'computing' | 'ready' | 'failed';

interface RunBase {
  readonly runId: string;
  readonly projectKey: string;
  readonly state: RunState;
  readonly error: string | null;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly config: ProjectConfig;
  readonly directory: AuditDirectory;
  readonly since: string;
  readonly fields: FieldIds;
  readonly appAccountId: string | null;
  readonly allSprints: readonly AuditSprint[];
  readonly issueKeys: readonly string[];
  readonly processed: number;
}

interface HealthRun extends RunBase {
  readonly kind: 'health';
  readonly fingerprint: string;
  /** The sprints this run computes (the others wanted were kept). */
  readonly sprints: readonly HealthSprint[];
  readonly counts: Record<string, ActionCounts>;
}

interface SuggestRun extends RunBase {
  readonly kind: 'suggest';
  readonly days: number;
  readonly perPerson: Record<string, Partial<Record<Accountability, number>>>;
}

type Run = HealthRun | SuggestRun;

const stepSchema = z.object({ kind: z.enum(['health', 'suggest']), projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{0,254}$/), runId: z.string().min(8).max(64), step: z.enum(['prepare', 'replay']) });

const runKey = (kind: Run['kind'], projectKey: string): string => `${kind}-run:${projectKey}`;
const figuresKey = (projectKey: string, fingerprint: string, sprintId: string): string => `health:${projectKey}:${fingerprint}:sprint:${sprintId}`;
const actionsKey = (projectKey: string, fingerprint: string, sprintId: string): string => `health:${projectKey}:${fingerprint}:changes:${sprintId}`;

/** Whether a queued body is one of these steps (the audit's consumer hands them over). */
export function isHealthStep(body: unknown): boolean {
  return stepSchema.safeParse(body).success;
}

/** Who each role resolves to, and how the history is read: figures kept under another role map are not reused. */
export function fingerprintOf(config: ProjectConfig, directory: AuditDirectory): string {
  const sorted = (r: Readonly<Record<string, readonly string[]>>) => Object.keys(r).sort().map((k) => [k, [...(r[k] ?? [])].sort()]);
  const text = JSON.stringify([config.roles, config.fields, sorted(directory.groupMembers), sorted(directory.projectRoleMembers)]);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function time(iso: string | null | undefined): number {
  if (!iso) return Number.NaN;
  return Date.parse(iso);
}

/** The board's sprints that have started (closed and active), oldest first. */
export function startedSprints(sprints: readonly AgileSprint[]): HealthSprint[] {
  return sprints
    .filter((s) => (s.state === 'closed' || s.state === 'active') && !Number.isNaN(time(s.startDate)))
    .sort((a, b) => time(a.startDate) - time(b.startDate) || a.id - b.id)
    .map((s) => ({
      id: String(s.id),
      name: s.name ?? `Sprint ${s.id}`,
      state: s.state as 'closed' | 'active',
      startDate: s.startDate ?? null,
      endDate: s.endDate ?? null,
      completeDate: s.state === 'closed' ? (s.completeDate ?? s.endDate ?? null) : null,
    }));
}

/** What every new run starts with: nothing read yet, the history from `since` on. */
function runStart(
  projectKey: string,
  now: Date,
  since: Date,
  who: { readonly config: ProjectConfig; readonly directory: AuditDirectory },
  sprints: readonly AgileSprint[],
): Omit<RunBase, 'kind'> {
  return {
    runId: randomUUID(),
    projectKey,
    state: 'computing',
    error: null,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    config: who.config,
    directory: { groupMembers: who.directory.groupMembers, projectRoleMembers: who.directory.projectRoleMembers },
    since: since.toISOString(),
    fields: {},
    appAccountId: null,
    allSprints: sprints.map((s) => ({ id: String(s.id), startDate: s.startDate ?? null, completeDate: s.completeDate ?? null })),
    issueKeys: [],
    processed: 0,
  };
}

async function loadRun<K extends Run['kind']>(deps: HealthDeps, kind: K, projectKey: string): Promise<Extract<Run, { kind: K }> | undefined> {
  const run = await deps.cache.get<Run>(runKey(kind, projectKey));
  return run && run.kind === kind ? (run as Extract<Run, { kind: K }>) : undefined;
}

async function storeRun(deps: HealthDeps, run: Run): Promise<void> {
  await deps.cache.set(runKey(run.kind, run.projectKey), run, RUN_KEPT_SECONDS);
}

async function queueStep(deps: HealthDeps, run: Run, step: 'prepare' | 'replay'): Promise<void> {
  await deps.queue.push([{ kind: run.kind, projectKey: run.projectKey, runId: run.runId, step }]);
}

function running(run: Run | undefined, now: Date): boolean {
  return run !== undefined && run.state === 'computing' && now.getTime() - time(run.updatedAt) < RUN_STALE_MS;
}

// ---------------------------------------------------------------------------------------------
// Role health

export interface HealthAnswer {
  readonly state: RunState;
  readonly progress: { readonly done: number; readonly total: number } | null;
  readonly error: string | null;
  readonly computedAt: string | null;
  readonly sprints: readonly StoredSprintFigures[];
}

/**
 * The figures of the last `wanted` started sprints: from what is kept when it is all there and fresh,
 * else a computation is started (or the running one reported).
 */
export async function roleHealthFigures(deps: HealthDeps, projectKey: string, config: ProjectConfig, directory: AuditDirectory, wanted: number): Promise<HealthAnswer> {
  const now = deps.clock.now();
  const current = await loadRun(deps, 'health', projectKey);
  if (running(current, now)) return { state: 'computing', progress: { done: current!.processed, total: current!.issueKeys.length }, error: null, computedAt: null, sprints: [] };

  const fingerprint = fingerprintOf(config, directory);
  const all = await deps.reads.projectSprints(projectKey, 'app');
  const started = startedSprints(all).slice(-wanted);
  const kept = await Promise.all(started.map((s) => deps.cache.get<StoredSprintFigures>(figuresKey(projectKey, fingerprint, s.id))));
  const stale = (s: HealthSprint, figures: StoredSprintFigures | undefined): boolean =>
    figures === undefined || figures.sprint.state !== s.state || (s.state === 'active' && now.getTime() - time(figures.computedAt) >= ACTIVE_FRESH_MS);
  const needed = started.filter((s, i) => stale(s, kept[i]));
  if (needed.length === 0) {
    const computedAt = kept.reduce<string | null>((latest, f) => (f && (latest === null || f.computedAt > latest) ? f.computedAt : latest), null);
    return { state: 'ready', progress: null, error: null, computedAt, sprints: kept as StoredSprintFigures[] };
  }
  // A run that failed a moment ago is reported once rather than retried in a loop by a polling page.
  if (current && current.state === 'failed' && now.getTime() - time(current.updatedAt) < 60_000) {
    return { state: 'failed', progress: null, error: current.error, computedAt: null, sprints: [] };
  }
  const since = new Date(Math.min(...needed.map((s) => time(s.startDate))));
  const run: HealthRun = {
    kind: 'health',
    ...runStart(projectKey, now, since, { config, directory }, all),
    fingerprint,
    sprints: needed,
    counts: {},
  };
  await storeRun(deps, run);
  await queueStep(deps, run, 'prepare');
  return { state: 'computing', progress: { done: 0, total: 0 }, error: null, computedAt: null, sprints: [] };
}

/** The changes kept behind one sprint's cells; null when that sprint's figures are not (or no longer) kept. */
export async function keptActions(deps: HealthDeps, projectKey: string, config: ProjectConfig, directory: AuditDirectory, sprintId: string): Promise<readonly HealthAction[] | null> {
  return (await deps.cache.get<HealthAction[]>(actionsKey(projectKey, fingerprintOf(config, directory), sprintId))) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Role suggestions

export interface SuggestAnswer {
  readonly state: RunState;
  readonly progress: { readonly done: number; readonly total: number } | null;
  readonly error: string | null;
  readonly perPerson: PersonCounts;
}

export async function suggestionCounts(deps: HealthDeps, projectKey: string, days: number): Promise<SuggestAnswer> {
  const now = deps.clock.now();
  const current = await loadRun(deps, 'suggest', projectKey);
  if (current && current.days === days) {
    if (running(current, now)) return { state: 'computing', progress: { done: current.processed, total: current.issueKeys.length }, error: null, perPerson: {} };
    const age = now.getTime() - time(current.updatedAt);
    if (current.state === 'ready' && age < SUGGESTION_FRESH_MS) return { state: 'ready', progress: null, error: null, perPerson: current.perPerson };
    if (current.state === 'failed' && age < 60_000) return { state: 'failed', progress: null, error: current.error, perPerson: {} };
  }
  const all = await deps.reads.projectSprints(projectKey, 'app');
  const run: SuggestRun = {
    kind: 'suggest',
    // Suggestions ignore the role map: who did what is all they look at.
    ...runStart(projectKey, now, new Date(now.getTime() - days * DAY_MS), { config: defaultConfig(), directory: { groupMembers: {}, projectRoleMembers: {} } }, all),
    days,
    perPerson: {},
  };
  await storeRun(deps, run);
  await queueStep(deps, run, 'prepare');
  return { state: 'computing', progress: { done: 0, total: 0 }, error: null, perPerson: {} };
}

// ---------------------------------------------------------------------------------------------
// The queued steps

/** Whole days back from now that cover a moment, with a day's margin (JQL's `updated >= -Nd`). */
function daysSince(since: Date, now: Date): number {
  return Math.max(1, Math.ceil((now.getTime() - since.getTime()) / DAY_MS) + 1);
}

async function prepare(deps: HealthDeps, run: Run): Promise<Run> {
  const found = await deps.reads.agileFieldIds('app');
  const fields: FieldIds = { ...found, ...run.config.fields };
  const [issues, appAccountId] = await Promise.all([
    deps.reads.searchIssues(changedSinceJql(run.projectKey, daysSince(new Date(run.since), deps.clock.now())), ['key'], 'app', HEALTH_MAX_ISSUES),
    deps.reads.appAccountId(),
  ]);
  return { ...run, fields, appAccountId, issueKeys: issues.map((i) => i.key) };
}


async function replayChunk(deps: HealthDeps, run: Run): Promise<Run> {
  const keys = run.issueKeys.slice(run.processed, run.processed + HEALTH_CHUNK_SIZE);
  const now = deps.clock.now();
  const context: ReplayContext = {
    sprints: new Map(run.allSprints.map((s) => [s.id, s])),
    effective: parseConfigOrThrow(run.config),
    directory: run.directory,
    fields: run.fields,
    since: new Date(run.since),
    appAccountIds: new Set(run.appAccountId ? [run.appAccountId] : []),
  };
  const actions: HealthAction[] = [];
  for (const issue of await readAuditIssues(deps.reads, run.projectKey, run.fields, keys)) {
    replayIssueChanges(issue, context, (change) => actions.push(...healthActionsOf(change)));
  }
  const processed = run.processed + keys.length;
  const done = processed >= run.issueKeys.length;
  if (run.kind === 'suggest') {
    const perPerson = { ...run.perPerson };
    for (const a of actions) {
      const mine = { ...(perPerson[a.actor] ?? {}) };
      mine[a.accountability] = (mine[a.accountability] ?? 0) + 1;
      perPerson[a.actor] = mine;
    }
    return { ...run, perPerson, processed, state: done ? 'ready' : 'computing', updatedAt: now.toISOString() };
  }

  const bySprint = new Map<string, HealthAction[]>();
  for (const a of actions) {
    const sprintId = sprintHolding(a.at, run.sprints, now);
    if (sprintId === null) continue;
    const list = bySprint.get(sprintId);
    if (list) list.push(a);
    else bySprint.set(sprintId, [a]);
  }
  const counts = { ...run.counts };
  for (const [sprintId, list] of bySprint) {
    counts[sprintId] = countActions(list, counts[sprintId]);
    // The changes behind the cells go beside the run, one list per sprint, so the run itself stays small.
    const key = `${actionsKey(run.projectKey, run.fingerprint, sprintId)}:run:${run.runId}`;
    const kept = (await deps.cache.get<HealthAction[]>(key)) ?? [];
    await deps.cache.set(key, newest([...kept, ...list]), RUN_KEPT_SECONDS);
  }
  const next: HealthRun = { ...run, counts, processed, state: done ? 'ready' : 'computing', updatedAt: now.toISOString() };
  if (done) await keepFigures(deps, next, now);
  return next;
}

function newest(actions: readonly HealthAction[]): HealthAction[] {
  return [...actions].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, HEALTH_MAX_ACTIONS_PER_SPRINT);
}

async function keepFigures(deps: HealthDeps, run: HealthRun, now: Date): Promise<void> {
  for (const sprint of run.sprints) {
    const runKeyOfActions = `${actionsKey(run.projectKey, run.fingerprint, sprint.id)}:run:${run.runId}`;
    const actions = (await deps.cache.get<HealthAction[]>(runKeyOfActions)) ?? [];
    const ttl = sprint.state === 'closed' ? CLOSED_KEPT_SECONDS : ACTIVE_KEPT_SECONDS;
    const figures: StoredSprintFigures = {
      sprint,
      counts: run.counts[sprint.id] ?? countActions([]),
      actors: [...new Set(actions.map((a) => a.actor))].sort(),
      computedAt: now.toISOString(),
    };
    await deps.cache.set(actionsKey(run.projectKey, run.fingerprint, sprint.id), actions, ttl);
    await deps.cache.set(figuresKey(run.projectKey, run.fingerprint, sprint.id), figures, ttl);
    if (actions.length > 0) await deps.cache.delete(runKeyOfActions);
  }
}

/** One queued step. Jira's refusals fail the run; anything else propagates so Forge retries the step. */
export async function runHealthStep(body: unknown, deps: HealthDeps, isRefusal: (error: unknown) => string | null): Promise<void> {
  const step = stepSchema.parse(body);
  const run = await loadRun(deps, step.kind, step.projectKey);
  if (!run || run.runId !== step.runId || run.state !== 'computing') return;
  let next: Run;
  try {
    next = step.step === 'prepare' ? await prepare(deps, run) : await replayChunk(deps, run);
  } catch (error) {
    const refusal = isRefusal(error);
    if (refusal !== null) {
      await storeRun(deps, { ...run, state: 'failed', error: refusal, updatedAt: deps.clock.now().toISOString() });
      return;
    }
    throw error;
  }
  await storeRun(deps, { ...next, updatedAt: deps.clock.now().toISOString() });
  if (next.state === 'computing') await queueStep(deps, next, 'replay');
}

/** The consumer's answer to a step that keeps failing: the run is marked failed so the page stops waiting. */
export async function failHealthStep(body: unknown, reason: string, deps: HealthDeps): Promise<void> {
  const parsed = stepSchema.safeParse(body);
  if (!parsed.success) return;
  const run = await loadRun(deps, parsed.data.kind, parsed.data.projectKey);
  if (run && run.runId === parsed.data.runId && run.state === 'computing') await storeRun(deps, { ...run, state: 'failed', error: reason, updatedAt: deps.clock.now().toISOString() });
}
