/**
 * Role health, the role charter and role suggestions, as the screens ask for them: who may see what
 * (docs/permissions.md), and the answers built by the queued computation (src/app/role-health.ts).
 */
import { ROLE_KEYS, type RoleKey } from '../../core/catalogue';
import { parseConfigOrThrow, type ProjectConfig } from '../../core/config';
import { buildRoleCharter } from '../../core/role-charter';
import { pageOfActions, sprintFigures } from '../../core/role-health';
import { suggestRoleMap } from '../../core/role-suggest';
import { LIMITS } from '../../shared/limits';
import { keptActions, roleHealthFigures, suggestionCounts, type HealthDeps } from '../role-health';
import type { Accountability, HealthBucket } from '../../core/accountability';
import type { HealthChangeView, RoleCharterView, RoleHealthView, RoleSuggestionView } from '../../shared/resolver-api';
import { isProjectAdmin, requireBrowse, requireProjectAdmin } from './access';
import type { CallerContext } from './context';
import { requireProject } from './context';
import type { ScreenDeps } from './deps';
import { loadDirectory, rolesOfAccount, type Directory } from './directory';
import { forbidden, notFound, ScreenError } from './errors';
import { peopleNamed, projectConfigInEffect } from './settings';

export interface HealthScope {
  readonly projectKey: string;
  readonly config: ProjectConfig;
  readonly directory: Directory;
}

/**
 * Role health is a coaching view: the project's Scrum Master and Product Owner (by the role map in
 * effect) and project admins see it; anyone else who can browse the project is told kindly.
 */
export async function requireHealthViewer(context: CallerContext, deps: ScreenDeps): Promise<HealthScope> {
  const projectKey = requireProject(context);
  const permissions = await requireBrowse(deps.reads, projectKey);
  const config = await projectConfigInEffect(deps, projectKey);
  const directory = await loadDirectory(deps.reads, projectKey, config);
  if (isProjectAdmin(permissions)) return { projectKey, config, directory };
  const roles = rolesOfAccount(config, directory, context.accountId);
  if (roles.includes('scrumMaster') || roles.includes('productOwner')) return { projectKey, config, directory };
  throw forbidden('Role health is for the Scrum Master, the Product Owner and project admins: it is a coaching view of the whole team. Ask your Scrum Master to walk you through it.');
}

/** Suggesting roles reads everyone's history and feeds the settings draft: project admins only. */
export async function requireSuggestAccess(context: CallerContext, deps: ScreenDeps): Promise<string> {
  const projectKey = requireProject(context);
  await requireProjectAdmin(deps.reads, projectKey);
  return projectKey;
}

/** The role charter: anyone who can browse the project may read it (it is meant for the team's wiki). */
export async function getRoleCharter(context: CallerContext, deps: ScreenDeps): Promise<RoleCharterView> {
  const projectKey = requireProject(context);
  await requireBrowse(deps.reads, projectKey);
  const config = await projectConfigInEffect(deps, projectKey);
  const effective = parseConfigOrThrow(config);
  const directory = await loadDirectory(deps.reads, projectKey, config);
  const userIds = ROLE_KEYS.flatMap((role) => config.roles[role].users);
  const groupIds = ROLE_KEYS.flatMap((role) => config.roles[role].groups);
  const anyProjectRole = ROLE_KEYS.some((role) => config.roles[role].projectRoles.length > 0);
  const [people, groups, projectRoles] = await Promise.all([
    peopleNamed(deps, userIds, directory.people),
    groupIds.length > 0 ? deps.reads.groupsByIds(groupIds) : Promise.resolve([]),
    anyProjectRole ? deps.reads.projectRoles(projectKey, 'app') : Promise.resolve([]),
  ]);
  const personName = new Map(people.map((p) => [p.accountId, p.displayName]));
  const groupName = new Map(groups.map((g) => [g.groupId, g.name]));
  const roleName = new Map(projectRoles.map((r) => [r.id, r.name]));
  const holders = Object.fromEntries(
    ROLE_KEYS.map((role) => {
      const members = config.roles[role];
      return [
        role,
        [
          ...members.users.map((id) => personName.get(id) ?? 'a former user'),
          ...members.groups.map((id) => `the group ${groupName.get(id) ?? id}`),
          ...members.projectRoles.map((id) => `the project role ${roleName.get(id) ?? id}`),
        ],
      ];
    }),
  ) as Record<RoleKey, string[]>;
  return buildRoleCharter({ projectKey, modes: effective.modes, holders });
}

const healthDeps = (deps: ScreenDeps): HealthDeps => ({ reads: deps.reads, cache: deps.cache, clock: deps.clock, queue: deps.auditQueue });

export async function roleHealth(context: CallerContext, deps: ScreenDeps, sprints: number): Promise<RoleHealthView> {
  const scope = await requireHealthViewer(context, deps);
  const answer = await roleHealthFigures(healthDeps(deps), scope.projectKey, scope.config, scope.directory, sprints);
  const actors = new Set(answer.sprints.flatMap((s) => s.actors));
  const people = actors.size > 0 ? await peopleNamed(deps, actors, scope.directory.people) : [];
  return {
    state: answer.state,
    progress: answer.progress,
    error: answer.error,
    computedAt: answer.computedAt,
    sprints: answer.sprints.map((s) => {
      const figures = sprintFigures(s.counts);
      return { id: s.sprint.id, name: s.sprint.name, state: s.sprint.state, startDate: s.sprint.startDate, endDate: s.sprint.endDate, ...figures };
    }),
    people,
  };
}

export async function roleHealthChanges(
  context: CallerContext,
  deps: ScreenDeps,
  request: { sprintId: string; accountability: Accountability; bucket: HealthBucket; cursor: string | null },
): Promise<{ changes: HealthChangeView[]; next: string | null }> {
  const scope = await requireHealthViewer(context, deps);
  const actions = await keptActions(healthDeps(deps), scope.projectKey, scope.config, scope.directory, request.sprintId);
  if (actions === null) throw notFound('The figures of that sprint are not at hand; open role health again to compute them.');
  const offset = request.cursor === null ? 0 : Number(request.cursor);
  if (!Number.isInteger(offset) || offset < 0) throw new ScreenError('invalid-payload', 'The cursor was not understood; start from the first page.', [{ path: 'cursor', message: 'expected the cursor of the previous answer' }]);
  const page = pageOfActions(actions, request.accountability, request.bucket, offset, LIMITS.healthChangesPageSize);
  return { changes: page.changes.map((a) => ({ at: a.at, issueKey: a.issueKey, actor: a.actor, summary: a.summary })), next: page.next };
}

export async function suggestRoles(context: CallerContext, deps: ScreenDeps, days: number): Promise<RoleSuggestionView> {
  const projectKey = await requireSuggestAccess(context, deps);
  const answer = await suggestionCounts(healthDeps(deps), projectKey, days);
  let suggestions: ReturnType<typeof suggestRoleMap> = [];
  if (answer.state === 'ready') {
    // Today's Scrum Master is kept: history cannot tell their help from a Developer's work.
    const config = await projectConfigInEffect(deps, projectKey);
    const directory = await loadDirectory(deps.reads, projectKey, config);
    const scrumMasters = new Set(Object.keys(answer.perPerson).filter((id) => rolesOfAccount(config, directory, id).includes('scrumMaster')));
    suggestions = suggestRoleMap(answer.perPerson, scrumMasters);
  }
  const named = new Set(suggestions.flatMap((s) => s.accountIds));
  return {
    state: answer.state,
    progress: answer.progress,
    error: answer.error,
    days,
    suggestions,
    people: named.size > 0 ? await peopleNamed(deps, named) : [],
  };
}
