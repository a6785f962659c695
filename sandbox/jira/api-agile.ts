/** `/rest/agile/1.0`: boards, sprints, the backlog and rank, with Jira Software's behaviour. */
import { issueBean, visibleIssue } from './api-platform';
import { parseJiraDate } from './dates';
import { fieldErrors, intParam, isRecord, jiraError, listParam, noContent, ok, page, type Answer } from './http';
import { JqlError, parseJql } from './jql';
import type { Board, Issue, Sprint } from './model';
import { avatarUrls, sprintBean } from './render';
import type { RouteContext, RouteDefinition } from './routes';
import { searchIssues } from './search';

const AGILE = '/rest/agile/1.0';
const MAX_ISSUES_PER_CALL = 50;

function boardOr404(ctx: RouteContext): Board {
  const board = ctx.site.boardById(Number(ctx.params['boardId']));
  if (!board || !ctx.site.canBrowse(ctx.actor.accountId)) {
    throw jiraError(404, 'The requested board cannot be viewed because it either does not exist or you do not have permission to view it.');
  }
  return board;
}

function sprintOr404(ctx: RouteContext): Sprint {
  const sprint = ctx.site.sprint(Number(ctx.params['sprintId']));
  if (!sprint || !ctx.site.canBrowse(ctx.actor.accountId)) throw jiraError(404, 'The requested sprint cannot be viewed because it either does not exist or you do not have permission to view it.');
  return sprint;
}

function requireManageSprints(ctx: RouteContext): void {
  if (!ctx.site.hasPermission(ctx.actor.accountId, 'MANAGE_SPRINTS_PERMISSION')) throw jiraError(403, 'You do not have permission to manage sprints on this board.');
}

/** Items an Agile list operation names: every one must exist and be visible. */
function namedIssues(ctx: RouteContext, body: Record<string, unknown>): Issue[] {
  const keys = body['issues'];
  if (!Array.isArray(keys) || keys.length === 0) throw fieldErrors({ issues: 'Provide at least one work item key or id.' });
  if (keys.length > MAX_ISSUES_PER_CALL) throw jiraError(400, `At most ${MAX_ISSUES_PER_CALL} work items can be moved at once.`);
  return keys.map((k) => {
    const issue = typeof k === 'string' ? ctx.site.findIssue(k) : undefined;
    if (!issue || !ctx.site.canBrowse(ctx.actor.accountId)) throw jiraError(400, `Issue ${String(k)} does not exist or you do not have permission to see it.`);
    return issue;
  });
}

function rankAnchor(ctx: RouteContext, body: Record<string, unknown>, moving: Issue[]): { before: Issue } | { after: Issue } | null {
  const before = body['rankBeforeIssue'];
  const after = body['rankAfterIssue'];
  if (before !== undefined && after !== undefined) throw jiraError(400, 'Only one of rankBeforeIssue and rankAfterIssue can be given.');
  const ref = before ?? after;
  if (ref === undefined) return null;
  const anchor = typeof ref === 'string' ? ctx.site.findIssue(ref) : undefined;
  if (!anchor || !ctx.site.canBrowse(ctx.actor.accountId)) throw jiraError(400, `Issue ${String(ref)} does not exist or you do not have permission to see it.`);
  if (moving.includes(anchor)) throw jiraError(400, 'Cannot rank a work item relative to itself.');
  return before !== undefined ? { before: anchor } : { after: anchor };
}

function checkRankField(ctx: RouteContext, body: Record<string, unknown>): void {
  const id = body['rankCustomFieldId'];
  if (id !== undefined && `customfield_${String(id)}` !== ctx.site.fieldIds.rank) throw jiraError(400, `The field customfield_${String(id)} is not a rank field.`);
}

// ---------------------------------------------------------------------------------------------
// Issues and rank

function getAgileIssue(ctx: RouteContext): Answer {
  const issue = visibleIssue(ctx, ctx.params['issueIdOrKey'] as string);
  return ok(issueBean(ctx.site, issue, { fields: listParam(ctx.query, 'fields'), expand: listParam(ctx.query, 'expand'), properties: [], flavour: 'agile', defaultFields: '*all', actorAccountId: ctx.actor.accountId }));
}

/** Ranks every listed item; 204 when all moved, 207 with one entry per item when some could not. */
function rankIssues(ctx: RouteContext): Answer {
  const site = ctx.site;
  const body = isRecord(ctx.body) ? ctx.body : {};
  const keys = Array.isArray(body['issues']) ? body['issues'] : [];
  if (keys.length === 0) throw fieldErrors({ issues: 'Provide at least one work item key or id.' });
  if (keys.length > MAX_ISSUES_PER_CALL) throw jiraError(400, `At most ${MAX_ISSUES_PER_CALL} work items can be ranked at once.`);
  if (body['rankBeforeIssue'] === undefined && body['rankAfterIssue'] === undefined) throw jiraError(400, 'Either rankBeforeIssue or rankAfterIssue must be given.');
  checkRankField(ctx, body);
  if (!site.hasPermission(ctx.actor.accountId, 'SCHEDULE_ISSUES')) {
    if (!site.canBrowse(ctx.actor.accountId)) throw jiraError(400, 'The work items do not exist or you do not have permission to see them.');
    throw jiraError(403, 'You do not have permission to rank work items (Schedule Issues).');
  }
  const found: Issue[] = [];
  const failed: { issueId: number; issueKey: string; status: number; errors: { errorMessages: string[]; errors: Record<string, string> } }[] = [];
  for (const key of keys) {
    const issue = typeof key === 'string' ? site.findIssue(key) : undefined;
    if (issue && !found.includes(issue)) found.push(issue);
    else if (!issue) failed.push({ issueId: 0, issueKey: String(key), status: 404, errors: { errorMessages: [`Issue ${String(key)} does not exist.`], errors: {} } });
  }
  const anchor = rankAnchor(ctx, body, []);
  if (anchor) {
    const anchorIssue = 'before' in anchor ? anchor.before : anchor.after;
    const self = found.indexOf(anchorIssue);
    if (self >= 0) {
      found.splice(self, 1);
      failed.push({ issueId: Number(anchorIssue.id), issueKey: anchorIssue.key, status: 400, errors: { errorMessages: ['Cannot rank a work item relative to itself.'], errors: {} } });
    }
    if (found.length > 0) site.rank(found, anchor, ctx.actor.accountId);
  }
  if (failed.length === 0) return noContent;
  return ok(
    {
      entries: [
        ...found.map((i) => ({ issueId: Number(i.id), issueKey: i.key, status: 200 })),
        ...failed,
      ],
    },
    207,
  );
}

// ---------------------------------------------------------------------------------------------
// Boards

function boardBean(ctx: RouteContext, board: Board): Record<string, unknown> {
  const { site } = ctx;
  const project = site.projectOf(board.projectKey)!.project;
  return {
    id: board.id,
    self: `${site.baseUrl}${AGILE}/board/${board.id}`,
    name: board.name,
    type: 'scrum',
    location: {
      projectId: Number(project.id),
      displayName: `${project.name} (${project.key})`,
      projectName: project.name,
      projectKey: project.key,
      projectTypeKey: 'software',
      avatarURI: avatarUrls(site, 'projectId', project.id)['48x48'],
      name: `${project.name} (${project.key})`,
    },
  };
}

function getBoards(ctx: RouteContext): Answer {
  const { site } = ctx;
  const projectFilter = ctx.query.get('projectKeyOrId');
  const typeFilter = listParam(ctx.query, 'type');
  const nameFilter = ctx.query.get('name');
  const wanted = projectFilter === null ? null : site.projectOf(projectFilter)?.project.key ?? '';
  const all = site.canBrowse(ctx.actor.accountId)
    ? site.boards
        .filter((b) => (wanted === null || b.projectKey === wanted) && (typeFilter.length === 0 || typeFilter.includes('scrum')) && (nameFilter === null || b.name.toLowerCase().includes(nameFilter.toLowerCase())))
        .map((b) => boardBean(ctx, b))
    : [];
  const startAt = intParam(ctx.query, 'startAt', 0);
  const maxResults = intParam(ctx.query, 'maxResults', 50, { min: 1, max: 50 });
  const { values, isLast } = page(all, startAt, maxResults);
  return ok({ maxResults, startAt, total: all.length, isLast, values });
}

function getConfiguration(ctx: RouteContext): Answer {
  const board = boardOr404(ctx);
  const { site } = ctx;
  const own = site.projectOf(board.projectKey)!;
  const estimate = site.field(own.estimateFieldId);
  return ok({
    id: board.id,
    name: board.name,
    type: 'scrum',
    self: `${site.baseUrl}${AGILE}/board/${board.id}/configuration`,
    location: { type: 'project', projectKeyOrId: own.project.id },
    filter: { id: String(board.filterId), self: `${site.baseUrl}/rest/api/3/filter/${board.filterId}` },
    subQuery: { query: 'resolution = EMPTY OR resolution changed after -2w' },
    columnConfig: {
      columns: board.columns.map((c) => ({ name: c.name, statuses: c.statusIds.map((id) => ({ id, self: `${site.baseUrl}/rest/api/3/status/${id}` })) })),
      constraintType: 'none',
    },
    // Each board estimates with its project's field: a team-managed project's own "Story point estimate".
    estimation: { type: 'field', field: { fieldId: own.estimateFieldId, displayName: estimate?.name ?? own.estimateFieldId } },
    ranking: { rankCustomFieldId: Number(site.fieldIds.rank.replace('customfield_', '')) },
  });
}

function getBoardSprints(ctx: RouteContext): Answer {
  const board = boardOr404(ctx);
  const states = listParam(ctx.query, 'state');
  const bad = states.find((s) => !['future', 'active', 'closed'].includes(s));
  if (bad) throw jiraError(400, `The sprint state '${bad}' is not valid; use future, active or closed.`);
  const all = ctx.site.sprints.filter((s) => s.originBoardId === board.id && (states.length === 0 || states.includes(s.state)));
  const startAt = intParam(ctx.query, 'startAt', 0);
  const maxResults = intParam(ctx.query, 'maxResults', 50, { min: 1, max: 50 });
  const { values, isLast } = page(all, startAt, maxResults);
  return ok({ maxResults, startAt, isLast, values: values.map((s) => sprintBean(ctx.site, s)) });
}

/** The Agile search result shape, with an optional JQL narrowing on top of the list's own filter. */
function issueList(ctx: RouteContext, base: (issue: Issue) => boolean): Answer {
  const { site } = ctx;
  let candidates = site.canBrowse(ctx.actor.accountId) ? site.rankOrder().filter(base) : [];
  const jql = ctx.query.get('jql');
  if (jql) {
    try {
      const query = parseJql(jql);
      const allowed = new Set(searchIssues(site, { clauses: query.clauses, orderBy: null }, ctx.actor.accountId));
      candidates = candidates.filter((i) => allowed.has(i));
    } catch (error) {
      if (error instanceof JqlError) throw jiraError(400, error.message);
      throw error;
    }
  }
  const startAt = intParam(ctx.query, 'startAt', 0);
  const maxResults = intParam(ctx.query, 'maxResults', 50, { min: 1, max: 1000 });
  const values = candidates.slice(startAt, startAt + maxResults);
  const fields = listParam(ctx.query, 'fields');
  const expand = listParam(ctx.query, 'expand');
  return ok({
    expand: 'schema,names',
    startAt,
    maxResults,
    total: candidates.length,
    issues: values.map((issue) => issueBean(site, issue, { fields, expand, properties: [], flavour: 'agile', defaultFields: '*all', actorAccountId: ctx.actor.accountId })),
  });
}

function boardBacklog(ctx: RouteContext): Answer {
  const board = boardOr404(ctx);
  const { site } = ctx;
  const lastColumn = new Set(board.columns.at(-1)?.statusIds ?? []);
  // The backlog: the board's project's items in no open sprint and not in the last column; sub-tasks follow their parent.
  return issueList(ctx, (issue) => {
    if (issue.projectKey !== board.projectKey) return false;
    const owner = issue.parentKey ? (site.findIssue(issue.parentKey) ?? issue) : issue;
    return site.openSprintOf(owner) === undefined && !lastColumn.has(issue.statusId);
  });
}

// ---------------------------------------------------------------------------------------------
// Sprints

function updateSprint(ctx: RouteContext): Answer {
  const { site } = ctx;
  const sprint = sprintOr404(ctx);
  requireManageSprints(ctx);
  const body = isRecord(ctx.body) ? ctx.body : {};
  const errors: Record<string, string> = {};
  const date = (key: string): string | null | undefined => {
    const value = body[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || parseJiraDate(value) === null) {
      errors[key] = `The ${key} must be a date and time such as 2026-11-09T09:00:00.000+01:00.`;
      return undefined;
    }
    return value;
  };
  const startDate = date('startDate');
  const endDate = date('endDate');
  const completeDate = date('completeDate');
  const name = body['name'];
  const goal = body['goal'];
  const state = body['state'];
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '' || name.length > 30)) errors['name'] = 'The sprint name must be 1 to 30 characters.';
  if (goal !== undefined && goal !== null && typeof goal !== 'string') errors['goal'] = 'The sprint goal must be text.';
  if (state !== undefined && !['future', 'active', 'closed'].includes(state as string)) errors['state'] = 'The state must be future, active or closed.';
  if (Object.keys(errors).length > 0) throw fieldErrors(errors);
  if (sprint.state === 'closed') throw jiraError(400, 'A closed sprint cannot be changed.');

  const starting = state === 'active' && sprint.state === 'future';
  const closing = state === 'closed' && sprint.state === 'active';
  if (state !== undefined && state !== sprint.state && !starting && !closing) {
    throw jiraError(400, `A sprint cannot go from ${sprint.state} to ${String(state)}.`);
  }
  if (starting) {
    const active = site.sprints.find((s) => s.originBoardId === sprint.originBoardId && s.state === 'active');
    if (active) throw jiraError(400, `Sprint ${active.name} is already active on this board; complete it before starting another one.`);
    if ((endDate ?? sprint.endDate) === null) throw fieldErrors({ endDate: 'A sprint needs an end date to be started.' });
  }

  const before = { name: sprint.name, goal: sprint.goal, startDate: sprint.startDate, endDate: sprint.endDate };
  if (typeof name === 'string') sprint.name = name.trim();
  if (goal !== undefined) sprint.goal = goal === null ? '' : (goal as string);
  if (startDate !== undefined) sprint.startDate = startDate;
  if (endDate !== undefined) sprint.endDate = endDate;
  if (starting) {
    sprint.state = 'active';
    sprint.startDate ??= site.now();
    site.emitSprintEvent('started', sprint, ctx.actor.accountId);
  } else if (closing) {
    sprint.state = 'closed';
    sprint.completeDate = completeDate ?? site.now();
    // Open items go back to the backlog; the closed sprint stays in their history (no changelog, as in Jira).
    site.emitSprintEvent('closed', sprint, ctx.actor.accountId);
  } else {
    const after = { name: sprint.name, goal: sprint.goal, startDate: sprint.startDate, endDate: sprint.endDate };
    const changed = (Object.keys(before) as (keyof typeof before)[]).filter((k) => before[k] !== after[k]);
    if (changed.length > 0) site.emitSprintEvent('updated', sprint, ctx.actor.accountId, Object.fromEntries(changed.map((k) => [k, before[k]])));
  }
  return ok(sprintBean(site, sprint));
}

function sprintIssues(ctx: RouteContext): Answer {
  const sprint = sprintOr404(ctx);
  return issueList(ctx, (issue) => issue.sprintIds.includes(sprint.id));
}

function moveToSprint(ctx: RouteContext): Answer {
  const { site } = ctx;
  const sprint = sprintOr404(ctx);
  const body = isRecord(ctx.body) ? ctx.body : {};
  const issues = namedIssues(ctx, body);
  if (!site.hasPermission(ctx.actor.accountId, 'SCHEDULE_ISSUES')) throw jiraError(403, 'You do not have permission to schedule work items.');
  if (sprint.state === 'closed') throw jiraError(400, 'Work items cannot be moved to a closed sprint.');
  const subtask = issues.find((i) => site.isSubtask(i));
  if (subtask) throw jiraError(400, `Sub-task ${subtask.key} follows its parent and cannot be moved to a sprint on its own.`);
  checkRankField(ctx, body);
  const anchor = rankAnchor(ctx, body, issues);
  for (const issue of issues) site.setSprint(issue, sprint, ctx.actor.accountId);
  if (anchor) site.rank(issues, anchor, ctx.actor.accountId);
  return noContent;
}

function moveToBacklog(ctx: RouteContext): Answer {
  const { site } = ctx;
  const body = isRecord(ctx.body) ? ctx.body : {};
  const issues = namedIssues(ctx, body);
  if (!site.hasPermission(ctx.actor.accountId, 'SCHEDULE_ISSUES')) throw jiraError(403, 'You do not have permission to schedule work items.');
  const subtask = issues.find((i) => site.isSubtask(i));
  if (subtask) throw jiraError(400, `Sub-task ${subtask.key} follows its parent and cannot be moved to the backlog on its own.`);
  for (const issue of issues) site.setSprint(issue, null, ctx.actor.accountId);
  return noContent;
}

export function agileRoutes(): RouteDefinition[] {
  return [
    { method: 'PUT', template: `${AGILE}/issue/rank`, handler: rankIssues },
    { method: 'GET', template: `${AGILE}/issue/{issueIdOrKey}`, handler: getAgileIssue },
    { method: 'GET', template: `${AGILE}/board`, handler: getBoards },
    { method: 'GET', template: `${AGILE}/board/{boardId}/configuration`, handler: getConfiguration },
    { method: 'GET', template: `${AGILE}/board/{boardId}/sprint`, handler: getBoardSprints },
    { method: 'GET', template: `${AGILE}/board/{boardId}/backlog`, handler: boardBacklog },
    {
      method: 'GET',
      template: `${AGILE}/board/{boardId}/issue`,
      handler: (ctx) => {
        const board = boardOr404(ctx);
        return issueList(ctx, (issue) => issue.projectKey === board.projectKey);
      },
    },
    { method: 'GET', template: `${AGILE}/sprint/{sprintId}`, handler: (ctx) => ok(sprintBean(ctx.site, sprintOr404(ctx))) },
    { method: 'POST', template: `${AGILE}/sprint/{sprintId}`, handler: updateSprint },
    { method: 'GET', template: `${AGILE}/sprint/{sprintId}/issue`, handler: sprintIssues },
    { method: 'POST', template: `${AGILE}/sprint/{sprintId}/issue`, handler: moveToSprint },
    { method: 'POST', template: `${AGILE}/backlog/issue`, handler: moveToBacklog },
  ];
}
