/**
 * The workflow validator's decision: a status transition by someone the config does not allow is
 * refused before it happens, when `status-change` is in block mode. A function validator (not a Jira
 * expression) so that the same engine decides here as in the triggers, with groups and project roles
 * resolved through Jira; its one storage read (the config) and the role look-up are cached.
 *
 * It never refuses on a guess: when the roles cannot be resolved, or Jira or storage fail, the
 * transition goes through and the log says the attempt could not be judged.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ROLE_KEYS, RULES, type RoleKey, type RuleId } from '../core/catalogue';
import { effectiveConfig } from '../core/config';
import { evaluate } from '../core/evaluate';
import { transitionAttempt, type SprintRef } from '../core/events';
import { projectKeyOfIssueKey } from '../core/routing';
import { unknownActorViolation, violationOf } from '../core/recording';
import type { Clock, JiraPort, KeyValueCache, ViolationLog } from './ports';
import type { ConfigInEffect, ProjectConfigs } from './project-config';
import type { RoleResolver } from './roles-service';
import { buildSummary, SUMMARY_PROPERTY } from './summary';

export interface ValidatorDeps {
  readonly jira: JiraPort;
  readonly projectConfigs: ProjectConfigs;
  readonly roles: RoleResolver;
  readonly log: ViolationLog;
  readonly cache: KeyValueCache;
  readonly clock: Clock;
}

/** What Forge passes a function validator, as far as it is used. */
export const validatorPayloadSchema = z.looseObject({
  issue: z.looseObject({ key: z.string().min(1, { error: 'expected the work item key' }), id: z.union([z.string(), z.number().transform(String)]).optional() }, { error: 'expected the work item' }),
  transition: z
    .looseObject({
      from: z.looseObject({ id: z.union([z.string(), z.number().transform(String)]) }).nullish(),
      to: z.looseObject({ id: z.union([z.string(), z.number().transform(String)]) }).nullish(),
    })
    .nullish(),
  atlassianId: z.string().nullish(),
  accountId: z.string().nullish(),
  context: z.looseObject({ accountId: z.string().nullish() }).nullish(),
});

export interface ValidatorAnswer {
  readonly result: boolean;
  readonly errorMessage?: string;
}

/** The config is read at most once per this many seconds per project in a warm container. */
const CONFIG_CACHE_SECONDS = 30;

/** Where the validator keeps count of transitions it could not judge for want of a principal. */
export const unknownActorKey = (projectKey: string): string => `validator-unknown-actor:${projectKey}`;

export interface UnknownActorNote {
  readonly count: number;
  readonly since: string;
  readonly lastIssueKey: string;
}

/**
 * A transition in block mode with nobody named: logged once per project (one `unjudgeable` row, so the
 * log is not flooded), counted for the settings page, which tells the admin to add the expression
 * validator, which Jira evaluates with the user transitioning.
 */
async function noteUnknownActor(projectKey: string, issueKey: string, deps: ValidatorDeps): Promise<void> {
  const now = deps.clock.now();
  try {
    const known = await deps.cache.get<Partial<UnknownActorNote>>(unknownActorKey(projectKey));
    const note: UnknownActorNote = {
      count: (typeof known?.count === 'number' ? known.count : 0) + 1,
      since: typeof known?.since === 'string' ? known.since : now.toISOString(),
      lastIssueKey: issueKey,
    };
    await deps.cache.set(unknownActorKey(projectKey), note, null);
    await deps.log.record(unknownActorViolation(projectKey, issueKey, now));
  } catch (error) {
    console.warn(`workflow validator: a transition of ${issueKey} with nobody named could not be noted: ${String(error)}`);
  }
  console.warn(`workflow validator: Forge named nobody transitioning ${issueKey}; let through. Add the expression validator to this transition.`);
}

/** What each refusable action is, in the present tense, for "only the Developers ... in this project". */
const ACTIONS: Readonly<Record<RuleId, string>> = {
  'backlog-rank': 'order the Product Backlog',
  'sprint-rank': 'reorder the work items of the running sprint',
  'status-change': 'move work items to another status',
  'estimate-change': 'change estimates',
  'assign-others': 'assign work items to someone else',
  'priority-change': 'change priorities',
  'item-create': 'create backlog items',
  'subtask-create': 'create sub-tasks',
  'sprint-scope-add': 'add work items to the running sprint',
  'sprint-goal-change': 'change the Sprint Goal of a running sprint',
  'sprint-cancel': 'cancel a sprint',
  'sprint-start-without-goal': 'start a sprint without a Sprint Goal',
};

const ROLE_NAMES: Readonly<Record<RoleKey, string>> = { productOwner: 'the Product Owner', scrumMaster: 'the Scrum Master', developers: 'the Developers', stakeholders: 'the stakeholders' };

/**
 * The words Jira shows when the app refuses a transition: what the project's Scrum roles say, in the
 * present tense (nothing happened), with no rule id, and where to read more.
 */
export function refusalMessage(rule: RuleId): string {
  const who = RULES[rule].allowed.map((role) => ROLE_NAMES[role]);
  const holders = who.length === 0 ? 'nobody' : `only ${who.join(' or ')}`;
  return `Scrum Role Guard: in this project, ${holders} may ${ACTIONS[rule]}. The Scrum roles panel on this work item says why, and who to talk to.`;
}

/** The sprints the item is in, for the log's sprint charts; best effort, the refusal does not wait on it. */
async function sprintsOf(issueKey: string, deps: ValidatorDeps): Promise<SprintRef[] | null> {
  try {
    return await deps.jira.agileSprints(issueKey);
  } catch (error) {
    console.warn(`workflow validator: the sprint of ${issueKey} is not recorded: ${String(error)}`);
    return null;
  }
}

export async function validateTransition(payload: unknown, deps: ValidatorDeps): Promise<ValidatorAnswer> {
  const parsed = validatorPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    console.warn(`workflow validator: unreadable payload (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
    return { result: true };
  }
  const data = parsed.data;
  const actor = data.atlassianId ?? data.accountId ?? data.context?.accountId ?? null;
  const projectKey = projectKeyOfIssueKey(data.issue.key);
  if (projectKey === null) return { result: true };

  let config: ConfigInEffect | null;
  try {
    config = await deps.projectConfigs.remembered(projectKey, CONFIG_CACHE_SECONDS);
  } catch (error) {
    console.warn(`workflow validator: config of ${projectKey} unreadable, transition allowed: ${String(error)}`);
    return { result: true };
  }
  if (config === null) return { result: true };
  const effective = effectiveConfig(config.document);
  if (effective.modes['status-change'] !== 'block') return { result: true };
  if (actor === null) {
    // Forge named nobody: nothing can be refused on a guess, but it must not pass unnoticed.
    await noteUnknownActor(projectKey, data.issue.key, deps);
    return { result: true };
  }

  const event = transitionAttempt({
    // Forge's documented argument names the item by key only: the record then carries no id rather than the key in its place.
    issue: { id: data.issue.id ?? null, key: data.issue.key, projectId: null, projectKey, subtask: false, sprints: null },
    actor,
    fromStatus: data.transition?.from?.id ?? null,
    toStatus: data.transition?.to?.id ?? null,
    attemptId: randomUUID(),
  });
  const record = (outcome: 'refused' | 'unjudgeable', roles: readonly RoleKey[], sprints: readonly SprintRef[] | null) =>
    violationOf(event, { projectKey, rule: 'status-change', mode: 'block', outcome, roles, change: null, sprints, at: deps.clock.now() });
  try {
    const roles = await deps.roles.rolesOf(config, actor);
    const verdict = evaluate(event, roles, effective)[0];
    if (!verdict) return { result: true };
    await deps.log.record(record('refused', ROLE_KEYS.filter((r) => roles.has(r)), await sprintsOf(data.issue.key, deps)));
    try {
      await deps.jira.setIssueProperty(data.issue.key, SUMMARY_PROPERTY, await buildSummary(deps.log, projectKey, data.issue.key, deps.clock.now()));
    } catch (error) {
      // The refusal stands and is on record; the panel's summary catches up with the next change.
      console.warn(`workflow validator: summary of ${data.issue.key} not updated: ${String(error)}`);
    }
    return { result: false, errorMessage: refusalMessage(verdict.rule) };
  } catch (error) {
    // Nothing refused on a guess; the attempt is still on record when the log can take it.
    console.warn(`workflow validator: ${actor} on ${data.issue.key} not judged: ${String(error)}`);
    await deps.log.record(record('unjudgeable', [], null)).catch(() => undefined);
    return { result: true };
  }
}
