/** `/rest/api/3`: the platform operations the app uses, with Jira Cloud's behaviour. */
import { applyEdit, planEdit } from './edits';
import { boolParam, decodeToken, encodeToken, fieldErrors, intParam, isRecord, jiraError, listParam, noContent, ok, page, type Answer } from './http';
import { parseJql, JqlError } from './jql';
import { searchIssues } from './search';
import type { Issue, Person } from './model';
import {
  avatarUrls, changelogBean, fieldBean, issueTypeBean, jiraStatusBean, priorityBean, selectFields, allFields, statusBean, userBean, userDetails,
} from './render';
import type { RouteContext, RouteDefinition } from './routes';
import type { JiraSite, SiteProject } from './site';

const API = '/rest/api/3';
const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';
const PROPERTY_VALUE_LIMIT = 32768;
/** How many histories `expand=changelog` embeds, newest first. */
export const EMBEDDED_CHANGELOG_LIMIT = 100;

/** The work item, if the actor may see it; Jira answers 404 alike for "missing" and "hidden". */
export function visibleIssue(ctx: RouteContext, keyOrId: string): Issue {
  const issue = ctx.site.findIssue(keyOrId);
  if (!issue || !ctx.site.canBrowse(ctx.actor.accountId)) throw jiraError(404, ISSUE_NOT_FOUND);
  return issue;
}

function visibleProject(ctx: RouteContext, keyOrId: string): SiteProject {
  const found = ctx.site.projectOf(keyOrId);
  if (!found || !ctx.site.canBrowse(ctx.actor.accountId)) throw jiraError(404, `No project could be found with key '${keyOrId}'.`);
  return found;
}

function requirePermission(ctx: RouteContext, key: string, message: string, status = 403): void {
  if (!ctx.site.hasPermission(ctx.actor.accountId, key)) throw jiraError(status, message);
}

/** An issue bean in the platform shape, honouring `fields`, `expand` and `properties`. */
export function issueBean(
  site: JiraSite,
  issue: Issue,
  options: { fields: string[]; expand: string[]; properties: string[]; flavour: 'platform' | 'agile'; defaultFields: '*all' | 'id'; actorAccountId: string },
): Record<string, unknown> {
  const all = allFields(site, issue, options.flavour);
  const bean: Record<string, unknown> = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${site.baseUrl}/rest/${options.flavour === 'agile' ? 'agile/1.0' : 'api/3'}/issue/${issue.id}`,
    key: issue.key,
    fields: selectFields(site, all, options.fields, options.defaultFields),
  };
  if (options.properties.length > 0) {
    const wanted = options.properties.includes('*all') ? [...issue.properties.keys()] : options.properties;
    bean['properties'] = Object.fromEntries(wanted.filter((k) => issue.properties.has(k)).map((k) => [k, issue.properties.get(k)]));
  }
  const expand = new Set(options.expand);
  const shown = Object.keys(bean['fields'] as object);
  if (expand.has('names')) bean['names'] = Object.fromEntries(shown.map((id) => [id, site.field(id)?.name ?? id]));
  if (expand.has('schema')) bean['schema'] = Object.fromEntries(shown.flatMap((id) => (site.field(id) ? [[id, { ...site.field(id)?.schema }]] : [])));
  if (expand.has('changelog')) {
    // Jira embeds only the most recent histories (its page limits are its own, KB "Changing maxResults
    // parameter for Jira Cloud REST API"); `total` tells a client to read the rest from issue/{id}/changelog.
    const recent = [...issue.changelog].reverse().slice(0, EMBEDDED_CHANGELOG_LIMIT);
    bean['changelog'] = { startAt: 0, maxResults: EMBEDDED_CHANGELOG_LIMIT, total: issue.changelog.length, histories: recent.map((e) => changelogBean(site, e)) };
  }
  if (expand.has('transitions')) bean['transitions'] = availableTransitions(site, issue, options.actorAccountId);
  if (expand.has('renderedFields')) bean['renderedFields'] = {};
  return bean;
}

function availableTransitions(site: JiraSite, issue: Issue, accountId: string): Record<string, unknown>[] {
  if (!site.hasPermission(accountId, 'TRANSITION_ISSUES')) return [];
  // A team-managed project's workflow takes no app conditions.
  const condition = site.isTeamManaged(issue.projectKey) ? null : site.transitionCondition;
  return site.transitions
    .filter((t) => t.toStatusId !== issue.statusId)
    // Workflow conditions: a transition whose condition fails is not offered at all.
    .filter((t) => condition === null || condition({ issueKey: issue.key, transitionId: t.id, accountId }))
    .map((t) => ({
      id: t.id,
      name: t.name,
      to: statusBean(site, site.status(t.toStatusId)),
      hasScreen: false,
      isGlobal: true,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
    }));
}

// ---------------------------------------------------------------------------------------------
// Issues

function getIssue(ctx: RouteContext): Answer {
  const issue = visibleIssue(ctx, ctx.params['issueIdOrKey'] as string);
  return ok(
    issueBean(ctx.site, issue, {
      fields: listParam(ctx.query, 'fields'),
      expand: listParam(ctx.query, 'expand'),
      properties: listParam(ctx.query, 'properties'),
      flavour: 'platform',
      defaultFields: '*all',
      actorAccountId: ctx.actor.accountId,
    }),
  );
}

/** `notifyUsers=false` is for admins and apps only, as in Jira. */
function checkNotifyUsers(ctx: RouteContext): void {
  if (!boolParam(ctx.query, 'notifyUsers', true) && !ctx.site.hasPermission(ctx.actor.accountId, 'ADMINISTER_PROJECTS')) {
    throw jiraError(403, 'To discard the user notification either admin or project admin permissions are required.');
  }
}

function editIssue(ctx: RouteContext): Answer {
  const issue = visibleIssue(ctx, ctx.params['issueIdOrKey'] as string);
  requirePermission(ctx, 'EDIT_ISSUES', 'You do not have permission to edit issues in this project.');
  checkNotifyUsers(ctx);
  const body = isRecord(ctx.body) ? ctx.body : {};
  const plan = planEdit(ctx.site, ctx.actor.accountId, body['fields'], body['update'], issue.projectKey);
  if (plan.sprint !== undefined && ctx.site.isSubtask(issue)) throw fieldErrors({ [ctx.site.fieldIds.sprint]: 'Sub-tasks follow their parent into a sprint; move the parent instead.' });
  if (Array.isArray(body['properties'])) setPropertiesFromBody(issue, body['properties']);
  applyEdit(ctx.site, issue, plan, ctx.actor.accountId);
  if (boolParam(ctx.query, 'returnIssue', false)) {
    return ok(issueBean(ctx.site, issue, { fields: [], expand: listParam(ctx.query, 'expand'), properties: [], flavour: 'platform', defaultFields: '*all', actorAccountId: ctx.actor.accountId }));
  }
  return noContent;
}

function setPropertiesFromBody(issue: Issue, properties: unknown[]): void {
  for (const p of properties) {
    if (!isRecord(p) || typeof p['key'] !== 'string') throw fieldErrors({ properties: 'Each property needs a key and a value.' });
    issue.properties.set(p['key'], p['value']);
  }
}

function createIssue(ctx: RouteContext): Answer {
  const site = ctx.site;
  const body = isRecord(ctx.body) ? ctx.body : {};
  const fields = isRecord(body['fields']) ? { ...body['fields'] } : {};
  const errors: Record<string, string> = {};
  const project = fields['project'];
  const target = isRecord(project) ? site.projectOf(String(project['key'] ?? project['id'] ?? '')) : undefined;
  if (!target || !site.canBrowse(ctx.actor.accountId)) errors['project'] = 'Specify a valid project ID or key';
  else if (!site.hasPermission(ctx.actor.accountId, 'CREATE_ISSUES')) errors['project'] = 'You do not have permission to create issues in this project.';
  const typeInput = fields['issuetype'];
  const type = isRecord(typeInput) ? site.issueTypes.find((t) => t.id === typeInput['id'] || t.name === typeInput['name']) : undefined;
  if (!type) errors['issuetype'] = 'Specify an issue type';
  if (typeof fields['summary'] !== 'string' || fields['summary'].trim() === '') errors['summary'] = 'You must specify a summary of the issue.';
  const parentInput = fields['parent'];
  let parent: Issue | null = null;
  if (parentInput !== undefined) {
    const ref = isRecord(parentInput) ? (parentInput['key'] ?? parentInput['id']) : undefined;
    parent = typeof ref === 'string' ? (site.findIssue(ref) ?? null) : null;
    if (!parent) errors['parent'] = 'Could not find issue by id or key.';
    else if (site.isSubtask(parent)) errors['parent'] = 'A sub-task cannot be the parent of another sub-task.';
  }
  if (type?.subtask && parentInput === undefined) errors['parent'] = 'Given parent work item does not belong to appropriate hierarchy.';
  if (type && !type.subtask && parentInput !== undefined && type.hierarchyLevel >= 0 && parent && site.issueType(parent.typeId).hierarchyLevel !== type.hierarchyLevel + 1) {
    errors['parent'] = 'Given parent work item does not belong to appropriate hierarchy.';
  }
  if (Object.keys(errors).length > 0) throw fieldErrors(errors);

  // The remaining fields go through the same checks as an edit, then are set without a changelog.
  const { project: _p, issuetype: _t, summary, parent: _parent, reporter, ...rest } = fields;
  void _p;
  void _t;
  void _parent;
  const reporterId = isRecord(reporter) && typeof reporter['accountId'] === 'string' ? reporter['accountId'] : ctx.actor.accountId;
  if (!site.person(reporterId)) throw fieldErrors({ reporter: `Specified reporter '${reporterId}' does not exist.` });
  const plan = planEdit(site, ctx.actor.accountId, rest, body['update'], target?.project.key);
  const issue = site.newIssue({
    projectKey: target?.project.key,
    summary: (summary as string).trim(),
    type: type as NonNullable<typeof type>,
    reporter: reporterId,
    assignee: null,
    priorityId: '3',
    description: null,
    labels: [],
    estimate: null,
    parent,
  });
  // Values given at creation are not history: apply them to the new item quietly.
  for (const setter of plan.setters) setter(issue);
  if (plan.sprint !== undefined && !type?.subtask) issue.sprintIds = plan.sprint === null ? [] : [plan.sprint.id];
  if (Array.isArray(body['properties'])) setPropertiesFromBody(issue, body['properties']);
  return ok({ id: issue.id, key: issue.key, self: `${site.baseUrl}${API}/issue/${issue.id}` }, 201);
}

function getTransitions(ctx: RouteContext): Answer {
  const issue = visibleIssue(ctx, ctx.params['issueIdOrKey'] as string);
  let transitions = availableTransitions(ctx.site, issue, ctx.actor.accountId);
  const only = ctx.query.get('transitionId');
  if (only) transitions = transitions.filter((t) => t['id'] === only);
  if (listParam(ctx.query, 'expand').includes('transitions.fields')) transitions = transitions.map((t) => ({ ...t, fields: {} }));
  return ok({ expand: 'transitions', transitions });
}

async function doTransition(ctx: RouteContext): Promise<Answer> {
  const site = ctx.site;
  const issue = visibleIssue(ctx, ctx.params['issueIdOrKey'] as string);
  const body = isRecord(ctx.body) ? ctx.body : {};
  const transitionInput = body['transition'];
  const transitionId = isRecord(transitionInput) && (typeof transitionInput['id'] === 'string' || typeof transitionInput['id'] === 'number') ? String(transitionInput['id']) : null;
  if (transitionId === null) throw fieldErrors({ transition: "Expected the transition as { \"id\": \"<transition id>\" }." });
  const available = availableTransitions(site, issue, ctx.actor.accountId);
  const transition = site.transitions.find((t) => t.id === transitionId);
  if (!transition || !available.some((t) => t['id'] === transitionId)) throw jiraError(400, `Transition id '${transitionId}' is not valid for this issue.`);
  const plan = planEdit(site, ctx.actor.accountId, body['fields'], body['update'], issue.projectKey);

  const fromStatus = site.status(issue.statusId);
  const toStatus = site.status(transition.toStatusId);
  // A team-managed project's workflow takes no app validators: nothing asks the app before the change.
  const validator = site.isTeamManaged(issue.projectKey) ? null : site.transitionValidator;
  if (validator) {
    const verdict = await validator({ issueKey: issue.key, issueId: issue.id, fromStatusId: fromStatus.id, toStatusId: toStatus.id, transitionId, accountId: ctx.actor.accountId });
    // A failing validator stops the transition before anything changes; Jira shows its message.
    if (!verdict.allowed) throw jiraError(400, verdict.message);
  }
  // The validator ran asynchronously: the item may have moved meanwhile, as on a real site.
  if (issue.statusId !== fromStatus.id) throw jiraError(409, 'The work item changed while the transition was being validated; try again.');

  const now = site.now();
  const items = [{ field: 'status', fieldtype: 'jira' as const, fieldId: 'status', from: fromStatus.id, fromString: fromStatus.name, to: toStatus.id, toString: toStatus.name }];
  if (toStatus.category === 'done' && fromStatus.category !== 'done') {
    items.push({ field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: null as unknown as string, fromString: null as unknown as string, to: '10000', toString: 'Done' });
    issue.resolutionDate = now;
  } else if (toStatus.category !== 'done' && fromStatus.category === 'done') {
    items.push({ field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: '10000', fromString: 'Done', to: null as unknown as string, toString: null as unknown as string });
    issue.resolutionDate = null;
  }
  if (toStatus.category !== fromStatus.category) issue.statusCategoryChanged = now;
  issue.statusId = toStatus.id;
  applyEdit(site, issue, plan, ctx.actor.accountId, items);
  return noContent;
}

function getChangelog(ctx: RouteContext): Answer {
  const issue = visibleIssue(ctx, ctx.params['issueIdOrKey'] as string);
  const startAt = intParam(ctx.query, 'startAt', 0);
  const maxResults = intParam(ctx.query, 'maxResults', 100, { min: 1, max: 100 });
  const { values, isLast } = page(issue.changelog, startAt, maxResults);
  const self = `${ctx.site.baseUrl}${API}/issue/${issue.key}/changelog`;
  return ok({
    self: `${self}?maxResults=${maxResults}&startAt=${startAt}`,
    ...(isLast ? {} : { nextPage: `${self}?maxResults=${maxResults}&startAt=${startAt + maxResults}` }),
    maxResults,
    startAt,
    total: issue.changelog.length,
    isLast,
    values: values.map((e) => changelogBean(ctx.site, e)),
  });
}

function bulkChangelogs(ctx: RouteContext): Answer {
  const body = isRecord(ctx.body) ? ctx.body : {};
  const keys = Array.isArray(body['issueIdsOrKeys']) ? body['issueIdsOrKeys'].filter((k): k is string => typeof k === 'string') : [];
  const fieldIds = Array.isArray(body['fieldIds']) ? new Set(body['fieldIds'].filter((k): k is string => typeof k === 'string')) : undefined;
  const maxResults = typeof body['maxResults'] === 'number' ? body['maxResults'] : 1000;
  const offset = decodeToken(typeof body['nextPageToken'] === 'string' ? body['nextPageToken'] : null);
  const canBrowse = ctx.site.canBrowse(ctx.actor.accountId);
  // One flat list of (issue, changelog) in the order asked, paged across issues.
  const entries = keys.flatMap((k) => {
    const issue = canBrowse ? ctx.site.findIssue(k) : undefined;
    if (!issue) return [];
    return issue.changelog.filter((e) => !fieldIds || fieldIds.size === 0 || e.items.some((i) => fieldIds.has(i.fieldId))).map((entry) => ({ issue, entry }));
  });
  const slice = entries.slice(offset, offset + maxResults);
  const grouped = new Map<string, Record<string, unknown>[]>();
  for (const { issue, entry } of slice) {
    const list = grouped.get(issue.id) ?? [];
    list.push(changelogBean(ctx.site, entry, fieldIds && fieldIds.size > 0 ? fieldIds : undefined));
    grouped.set(issue.id, list);
  }
  return ok({
    issueChangeLogs: [...grouped].map(([issueId, changeHistories]) => ({ issueId, changeHistories })),
    ...(offset + slice.length < entries.length ? { nextPageToken: encodeToken(offset + slice.length) } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// Entity properties

function validPropertyValue(value: unknown): void {
  if (value === undefined) throw jiraError(400, 'The property value must be valid JSON.');
  if (JSON.stringify(value).length > PROPERTY_VALUE_LIMIT) throw jiraError(400, `The property value is too long: at most ${PROPERTY_VALUE_LIMIT} characters.`);
}

function validPropertyKey(key: string): void {
  if (key.length === 0 || key.length > 255) throw jiraError(400, 'The property key must be between 1 and 255 characters.');
}

function propertyRoutes(
  template: string,
  store: (ctx: RouteContext, write: boolean) => Map<string, unknown>,
): RouteDefinition[] {
  const key = (ctx: RouteContext): string => ctx.params['propertyKey'] as string;
  return [
    {
      method: 'GET', template, handler: (ctx) => {
        const map = store(ctx, false);
        if (!map.has(key(ctx))) throw jiraError(404, `The property with key '${key(ctx)}' does not exist.`);
        return ok({ key: key(ctx), value: map.get(key(ctx)) });
      },
    },
    {
      method: 'PUT', template, handler: (ctx) => {
        validPropertyKey(key(ctx));
        validPropertyValue(ctx.body);
        const map = store(ctx, true);
        const existed = map.has(key(ctx));
        map.set(key(ctx), structuredClone(ctx.body));
        return ok({}, existed ? 200 : 201);
      },
    },
    {
      method: 'DELETE', template, handler: (ctx) => {
        const map = store(ctx, true);
        if (!map.delete(key(ctx))) throw jiraError(404, `The property with key '${key(ctx)}' does not exist.`);
        return noContent;
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Projects and roles

function getProject(ctx: RouteContext): Answer {
  const site = ctx.site;
  const own = visibleProject(ctx, ctx.params['projectIdOrKey'] as string);
  const p = own.project;
  const lead = site.person(p.leadAccountId);
  const properties = listParam(ctx.query, 'properties');
  return ok({
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    self: `${site.baseUrl}${API}/project/${p.id}`,
    id: p.id,
    key: p.key,
    description: p.description,
    ...(lead ? { lead: userBean(site, lead) } : {}),
    components: [],
    issueTypes: site.issueTypes.map((t) => issueTypeBean(site, t)),
    assigneeType: 'UNASSIGNED',
    versions: [],
    name: p.name,
    roles: Object.fromEntries(site.roles.map((r) => [r.name, `${site.baseUrl}${API}/project/${p.id}/role/${r.id}`])),
    avatarUrls: avatarUrls(site, 'projectId', p.id),
    projectTypeKey: 'software',
    // Team-managed projects are "next-gen" and simplified; company-managed ones "classic".
    simplified: p.style === 'next-gen',
    style: p.style ?? 'classic',
    isPrivate: false,
    properties: Object.fromEntries(properties.filter((k) => own.properties.has(k)).map((k) => [k, own.properties.get(k)])),
  });
}

/** Project roles are for project admins (and the app), as in Jira. Both projects share the site's role actors. */
function roleAccess(ctx: RouteContext): SiteProject {
  const own = visibleProject(ctx, ctx.params['projectIdOrKey'] as string);
  if (!ctx.site.hasPermission(ctx.actor.accountId, 'ADMINISTER_PROJECTS')) throw jiraError(404, `No project could be found with key '${ctx.params['projectIdOrKey']}'.`);
  return own;
}

function getProjectRoles(ctx: RouteContext): Answer {
  const own = roleAccess(ctx);
  const site = ctx.site;
  return ok(Object.fromEntries(site.roles.map((r) => [r.name, `${site.baseUrl}${API}/project/${own.project.id}/role/${r.id}`])));
}

function getProjectRole(ctx: RouteContext): Answer {
  const own = roleAccess(ctx).project;
  const site = ctx.site;
  const role = site.roles.find((r) => String(r.id) === ctx.params['id']);
  if (!role) throw jiraError(404, `Can not retrieve a role actor for a null project role.`);
  let actorId = 10100 + role.id * 10;
  return ok({
    self: `${site.baseUrl}${API}/project/${own.id}/role/${role.id}`,
    name: role.name,
    id: role.id,
    actors: role.actors.map((a) => {
      actorId++;
      if (a.kind === 'user') {
        const person = site.person(a.accountId);
        return { id: actorId, displayName: person?.displayName ?? a.accountId, type: 'atlassian-user-role-actor', actorUser: { accountId: a.accountId } };
      }
      const group = site.groups.find((g) => g.groupId === a.groupId);
      const name = group?.name ?? a.groupId;
      return { id: actorId, displayName: name, type: 'atlassian-group-role-actor', name, actorGroup: { name, displayName: name, groupId: a.groupId } };
    }),
    scope: { type: 'PROJECT', project: { id: own.id, key: own.key, name: own.name } },
  });
}

// ---------------------------------------------------------------------------------------------
// Users and groups

function userNotFound(): never {
  throw jiraError(404, 'Specified user does not exist or you do not have required permissions');
}

function requireUserPicker(ctx: RouteContext): void {
  requirePermission(ctx, 'USER_PICKER', 'You do not have the permission to browse users and groups.');
}

function groupName(site: JiraSite, groupId: string): Record<string, unknown> {
  const group = site.groups.find((g) => g.groupId === groupId);
  return { name: group?.name ?? groupId, groupId, self: `${site.baseUrl}${API}/group?groupId=${groupId}` };
}

function withExpansions(ctx: RouteContext, person: Person): Record<string, unknown> {
  const bean = userBean(ctx.site, person);
  const expand = listParam(ctx.query, 'expand');
  if (expand.includes('groups')) {
    const items = ctx.site.groupsOf(person.accountId).map((g) => groupName(ctx.site, g.groupId));
    bean['groups'] = { size: items.length, items };
  }
  if (expand.includes('applicationRoles')) bean['applicationRoles'] = { size: 0, items: [] };
  return bean;
}

function getUser(ctx: RouteContext): Answer {
  requireUserPicker(ctx);
  const accountId = ctx.query.get('accountId');
  if (!accountId) throw jiraError(400, 'The accountId query parameter needs to be provided.');
  const person = ctx.site.person(accountId);
  if (!person) userNotFound();
  return ok(withExpansions(ctx, person));
}

function bulkUsers(ctx: RouteContext): Answer {
  requireUserPicker(ctx);
  const ids = listParam(ctx.query, 'accountId');
  const startAt = intParam(ctx.query, 'startAt', 0);
  const maxResults = intParam(ctx.query, 'maxResults', 10, { min: 1, max: 200 });
  const found = ids.map((id) => ctx.site.person(id)).filter((p): p is Person => p !== undefined);
  const { values, isLast } = page(found, startAt, maxResults);
  return ok({
    self: `${ctx.site.baseUrl}${API}/user/bulk?maxResults=${maxResults}&startAt=${startAt}`,
    ...(isLast ? {} : { nextPage: `${ctx.site.baseUrl}${API}/user/bulk?maxResults=${maxResults}&startAt=${startAt + maxResults}` }),
    maxResults,
    startAt,
    total: found.length,
    isLast,
    values: values.map((p) => userBean(ctx.site, p)),
  });
}

function userGroups(ctx: RouteContext): Answer {
  requireUserPicker(ctx);
  const accountId = ctx.query.get('accountId');
  const person = accountId ? ctx.site.person(accountId) : undefined;
  if (!person) userNotFound();
  return ok(ctx.site.groupsOf(person.accountId).map((g) => groupName(ctx.site, g.groupId)));
}

function searchUsers(ctx: RouteContext): Answer {
  requireUserPicker(ctx);
  const query = (ctx.query.get('query') ?? '').trim().toLowerCase();
  const accountId = ctx.query.get('accountId');
  if (query === '' && !accountId) throw jiraError(400, "One of 'query' or 'accountId' parameters must be provided.");
  const startAt = intParam(ctx.query, 'startAt', 0);
  const maxResults = intParam(ctx.query, 'maxResults', 50, { min: 1, max: 1000 });
  const found = ctx.site.people.filter((p) =>
    accountId ? p.accountId === accountId : p.displayName.toLowerCase().split(/\s+/).some((word) => word.startsWith(query)) || p.displayName.toLowerCase().startsWith(query),
  );
  return ok(found.slice(startAt, startAt + maxResults).map((p) => userBean(ctx.site, p)));
}

function findGroups(ctx: RouteContext): Answer {
  requireUserPicker(ctx);
  const query = (ctx.query.get('query') ?? '').toLowerCase();
  const accountId = ctx.query.get('accountId');
  const exclude = new Set(listParam(ctx.query, 'exclude'));
  const excludeId = new Set(listParam(ctx.query, 'excludeId'));
  const maxResults = intParam(ctx.query, 'maxResults', 20, { min: 0, max: 1000 });
  const matching = ctx.site.groups.filter(
    (g) => g.name.toLowerCase().includes(query) && !exclude.has(g.name) && !excludeId.has(g.groupId) && (!accountId || g.members.includes(accountId)),
  );
  const shown = matching.slice(0, maxResults);
  return ok({
    header: `Showing ${shown.length} of ${matching.length} matching groups`,
    total: matching.length,
    groups: shown.map((g) => ({ name: g.name, html: g.name, labels: [], groupId: g.groupId })),
  });
}

function groupMembers(ctx: RouteContext): Answer {
  requireUserPicker(ctx);
  const groupId = ctx.query.get('groupId');
  const groupname = ctx.query.get('groupname');
  if (!groupId && !groupname) throw jiraError(400, 'You must specify a group name or a group id.');
  const group = ctx.site.groups.find((g) => (groupId ? g.groupId === groupId : g.name === groupname));
  if (!group) throw jiraError(404, `Group not found.`);
  const startAt = intParam(ctx.query, 'startAt', 0);
  const maxResults = intParam(ctx.query, 'maxResults', 50, { min: 1, max: 50 });
  const members = group.members.map((id) => ctx.site.person(id)).filter((p): p is Person => p !== undefined);
  const { values, isLast } = page(members, startAt, maxResults);
  const self = `${ctx.site.baseUrl}${API}/group/member?groupId=${group.groupId}`;
  return ok({
    self: `${self}&maxResults=${maxResults}&startAt=${startAt}`,
    ...(isLast ? {} : { nextPage: `${self}&maxResults=${maxResults}&startAt=${startAt + maxResults}` }),
    maxResults,
    startAt,
    total: members.length,
    isLast,
    values: values.map((p) => userDetails(ctx.site, p)),
  });
}

function myself(ctx: RouteContext): Answer {
  return ok(withExpansions(ctx, ctx.actor));
}

// ---------------------------------------------------------------------------------------------
// Permissions

function myPermissions(ctx: RouteContext): Answer {
  const site = ctx.site;
  const keys = listParam(ctx.query, 'permissions');
  if (keys.length === 0) throw jiraError(400, "The 'permissions' query parameter is required.");
  const unknown = keys.filter((k) => !site.permissions.some((p) => p.key === k));
  if (unknown.length > 0) throw jiraError(400, `Invalid permission key: ${unknown.join(', ')}`);
  const projectKey = ctx.query.get('projectKey') ?? ctx.query.get('projectId');
  const issueKey = ctx.query.get('issueKey') ?? ctx.query.get('issueId');
  if (projectKey !== null) visibleProject(ctx, projectKey);
  if (issueKey !== null) visibleIssue(ctx, issueKey);
  return ok({
    permissions: Object.fromEntries(
      keys.map((key) => {
        const p = site.permissions.find((d) => d.key === key);
        if (!p) throw new Error(`unreachable: ${key}`);
        // One project on this site: with or without a project or work item, the answer is the same.
        const have = site.hasPermission(ctx.actor.accountId, key);
        return [key, { id: p.id, key: p.key, name: p.name, type: p.type, description: p.description, havePermission: have }];
      }),
    ),
  });
}

function checkPermissions(ctx: RouteContext): Answer {
  const site = ctx.site;
  const body = isRecord(ctx.body) ? ctx.body : {};
  const accountId = typeof body['accountId'] === 'string' ? body['accountId'] : ctx.actor.accountId;
  if (accountId !== ctx.actor.accountId && !site.hasPermission(ctx.actor.accountId, 'ADMINISTER')) {
    throw jiraError(403, 'Only Jira administrators and apps can check the permissions of other users.');
  }
  if (!site.person(accountId)) throw fieldErrors({ accountId: `The user with account ID '${accountId}' does not exist.` });
  const globals = Array.isArray(body['globalPermissions']) ? body['globalPermissions'].filter((k): k is string => typeof k === 'string') : [];
  const projectChecks = Array.isArray(body['projectPermissions']) ? body['projectPermissions'].filter(isRecord) : [];
  const badKey = [...globals, ...projectChecks.flatMap((c) => (Array.isArray(c['permissions']) ? c['permissions'] : []))].find(
    (k) => typeof k !== 'string' || !site.permissions.some((p) => p.key === k),
  );
  if (badKey !== undefined) throw fieldErrors({ permissions: `Unrecognized permission key: ${String(badKey)}` });
  const grants: Record<string, unknown>[] = [];
  for (const check of projectChecks) {
    const projects = Array.isArray(check['projects']) ? check['projects'].filter((n): n is number => typeof n === 'number') : [];
    const issues = Array.isArray(check['issues']) ? check['issues'].filter((n): n is number => typeof n === 'number') : [];
    for (const key of check['permissions'] as string[]) {
      const has = site.hasPermission(accountId, key);
      grants.push({
        permission: key,
        projects: has ? projects.filter((id) => site.projectOf(String(id)) !== undefined) : [],
        issues: has ? issues.filter((id) => site.findIssue(String(id)) !== undefined) : [],
      });
    }
  }
  return ok({ globalPermissions: globals.filter((k) => site.hasPermission(accountId, k)), projectPermissions: grants });
}

// ---------------------------------------------------------------------------------------------
// Search

function searchJql(ctx: RouteContext, input: { jql: unknown; maxResults: unknown; nextPageToken: unknown; fields: string[]; expand: string[]; properties: string[] }): Answer {
  const jql = typeof input.jql === 'string' ? input.jql.trim() : '';
  if (jql === '') throw jiraError(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  let found: Issue[];
  try {
    const query = parseJql(jql);
    if (query.clauses.length === 0) throw jiraError(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
    found = searchIssues(ctx.site, query, ctx.actor.accountId);
  } catch (error) {
    if (error instanceof JqlError) throw jiraError(400, error.message);
    throw error;
  }
  const maxResults = typeof input.maxResults === 'number' ? Math.max(1, Math.min(5000, input.maxResults)) : 50;
  const offset = decodeToken(typeof input.nextPageToken === 'string' ? input.nextPageToken : null);
  const slice = found.slice(offset, offset + maxResults);
  const more = offset + slice.length < found.length;
  return ok({
    issues: slice.map((issue) =>
      issueBean(ctx.site, issue, { fields: input.fields, expand: input.expand, properties: input.properties, flavour: 'platform', defaultFields: 'id', actorAccountId: ctx.actor.accountId }),
    ),
    ...(more ? { nextPageToken: encodeToken(offset + slice.length) } : {}),
    isLast: !more,
  });
}

function searchGet(ctx: RouteContext): Answer {
  const max = ctx.query.get('maxResults');
  return searchJql(ctx, {
    jql: ctx.query.get('jql'),
    maxResults: max === null ? undefined : Number(max),
    nextPageToken: ctx.query.get('nextPageToken'),
    fields: listParam(ctx.query, 'fields'),
    expand: listParam(ctx.query, 'expand'),
    properties: listParam(ctx.query, 'properties'),
  });
}

function searchPost(ctx: RouteContext): Answer {
  const body = isRecord(ctx.body) ? ctx.body : {};
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
  return searchJql(ctx, {
    jql: body['jql'],
    maxResults: body['maxResults'],
    nextPageToken: body['nextPageToken'],
    fields: strings(body['fields']),
    expand: typeof body['expand'] === 'string' ? body['expand'].split(',').map((s) => s.trim()) : [],
    properties: strings(body['properties']),
  });
}

function propertyKeys(ctx: RouteContext): Answer {
  const issue = visibleIssue(ctx, ctx.params['issueIdOrKey'] as string);
  const self = `${ctx.site.baseUrl}${API}/issue/${issue.id}/properties`;
  return ok({ keys: [...issue.properties.keys()].map((key) => ({ key, self: `${self}/${encodeURIComponent(key)}` })) });
}

function changelogsByIds(ctx: RouteContext): Answer {
  const issue = visibleIssue(ctx, ctx.params['issueIdOrKey'] as string);
  const body = isRecord(ctx.body) ? ctx.body : {};
  const ids = Array.isArray(body['changelogIds']) ? body['changelogIds'].map(String) : [];
  const histories = issue.changelog.filter((e) => ids.includes(e.id)).map((e) => changelogBean(ctx.site, e));
  return ok({ startAt: 0, maxResults: histories.length, total: histories.length, histories });
}

function searchPriorities(ctx: RouteContext): Answer {
  const ids = listParam(ctx.query, 'id');
  const name = ctx.query.get('priorityName')?.toLowerCase();
  const onlyDefault = ctx.query.get('onlyDefault') === 'true';
  const all = ctx.site.priorities.filter((p) => (ids.length === 0 || ids.includes(p.id)) && (!name || p.name.toLowerCase().includes(name)) && (!onlyDefault || p.id === '3'));
  const startAt = intParam(ctx.query, 'startAt', 0);
  const maxResults = intParam(ctx.query, 'maxResults', 50, { min: 1, max: 50 });
  const { values, isLast } = page(all, startAt, maxResults);
  return ok({
    self: `${ctx.site.baseUrl}${API}/priority/search?maxResults=${maxResults}&startAt=${startAt}`,
    maxResults,
    startAt,
    total: all.length,
    isLast,
    values: values.map((p) => ({ ...priorityBean(ctx.site, p), isDefault: p.id === '3' })),
  });
}

function projectStatuses(ctx: RouteContext): Answer {
  visibleProject(ctx, ctx.params['projectIdOrKey'] as string);
  const { site } = ctx;
  return ok(
    site.issueTypes.map((t) => ({ self: `${site.baseUrl}${API}/issuetype/${t.id}`, id: t.id, name: t.name, subtask: t.subtask, statuses: site.statuses.map((s) => statusBean(site, s)) })),
  );
}

// ---------------------------------------------------------------------------------------------

export function platformRoutes(): RouteDefinition[] {
  return [
    { method: 'GET', template: `${API}/issue/{issueIdOrKey}`, handler: getIssue },
    { method: 'PUT', template: `${API}/issue/{issueIdOrKey}`, handler: editIssue },
    { method: 'POST', template: `${API}/issue`, handler: createIssue },
    { method: 'GET', template: `${API}/issue/{issueIdOrKey}/transitions`, handler: getTransitions },
    { method: 'POST', template: `${API}/issue/{issueIdOrKey}/transitions`, handler: doTransition },
    { method: 'GET', template: `${API}/issue/{issueIdOrKey}/changelog`, handler: getChangelog },
    { method: 'POST', template: `${API}/changelog/bulkfetch`, handler: bulkChangelogs },
    { method: 'POST', template: `${API}/issue/{issueIdOrKey}/changelog/list`, handler: changelogsByIds },
    { method: 'GET', template: `${API}/issue/{issueIdOrKey}/properties`, handler: propertyKeys },
    { method: 'GET', template: `${API}/priority/search`, handler: searchPriorities },
    { method: 'GET', template: `${API}/project/{projectIdOrKey}/statuses`, handler: projectStatuses },
    ...propertyRoutes(`${API}/issue/{issueIdOrKey}/properties/{propertyKey}`, (ctx, write) => {
      const issue = visibleIssue(ctx, ctx.params['issueIdOrKey'] as string);
      if (write) requirePermission(ctx, 'EDIT_ISSUES', 'You do not have permission to edit issues in this project.');
      return issue.properties;
    }),
    ...propertyRoutes(`${API}/project/{projectIdOrKey}/properties/{propertyKey}`, (ctx, write) => {
      const own = visibleProject(ctx, ctx.params['projectIdOrKey'] as string);
      if (write) requirePermission(ctx, 'ADMINISTER_PROJECTS', 'You do not have permission to administer this project.');
      return own.properties;
    }),
    { method: 'GET', template: `${API}/project/{projectIdOrKey}`, handler: getProject },
    { method: 'GET', template: `${API}/project/{projectIdOrKey}/role`, handler: getProjectRoles },
    { method: 'GET', template: `${API}/project/{projectIdOrKey}/role/{id}`, handler: getProjectRole },
    { method: 'GET', template: `${API}/user`, handler: getUser },
    { method: 'GET', template: `${API}/user/bulk`, handler: bulkUsers },
    { method: 'GET', template: `${API}/user/groups`, handler: userGroups },
    { method: 'GET', template: `${API}/user/search`, handler: searchUsers },
    { method: 'GET', template: `${API}/groups/picker`, handler: findGroups },
    { method: 'GET', template: `${API}/group/member`, handler: groupMembers },
    { method: 'GET', template: `${API}/myself`, handler: myself },
    { method: 'GET', template: `${API}/mypermissions`, handler: myPermissions },
    { method: 'POST', template: `${API}/permissions/check`, handler: checkPermissions },
    { method: 'GET', template: `${API}/field`, handler: (ctx) => ok(ctx.site.fields.map(fieldBean)) },
    { method: 'GET', template: `${API}/search/jql`, handler: searchGet },
    { method: 'POST', template: `${API}/search/jql`, handler: searchPost },
    { method: 'GET', template: `${API}/priority`, handler: (ctx) => ok(ctx.site.priorities.map((p) => priorityBean(ctx.site, p))) },
    { method: 'GET', template: `${API}/status`, handler: (ctx) => ok(ctx.site.statuses.map((s) => statusBean(ctx.site, s))) },
    {
      method: 'GET',
      template: `${API}/statuses`,
      handler: (ctx) => {
        const ids = listParam(ctx.query, 'id');
        if (ids.length === 0) throw jiraError(400, "The 'id' query parameter is required.");
        return ok(ctx.site.statuses.filter((s) => ids.includes(s.id)).map(jiraStatusBean));
      },
    },
  ];
}

