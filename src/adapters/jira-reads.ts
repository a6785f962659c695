/**
 * The screens' Jira reads (the JiraReads port) on @forge/api. Permission checks and searches run
 * `asUser()`, so Jira answers with the caller's own rights; the audit's history reads run `asApp()`
 * because they run in a queue consumer, after the caller's permission was checked.
 *
 * Every answer is parsed with zod: only the fields used are required, anything else is left alone.
 */
import api, { route, type APIResponse } from '@forge/api';
import { z } from 'zod';
import type { FieldIds } from '../core/events';
import {
  JiraReadError,
  PERMISSION_KEYS,
  type AgileSprint,
  type Caller,
  type ChangeHistory,
  type JiraReads,
  type PermissionKey,
  type PersonInfo,
  type RoleActors,
  type SearchedIssue,
} from '../app/ports';

type RouteValue = ReturnType<typeof route>;

async function read<T>(caller: Caller, operation: string, path: RouteValue, schema: z.ZodType<T>, init?: { method: 'POST'; body: unknown }): Promise<T> {
  const requester = caller === 'user' ? api.asUser() : api.asApp();
  const response: APIResponse = await requester.requestJira(path, {
    method: init?.method ?? 'GET',
    headers: { accept: 'application/json', ...(init ? { 'content-type': 'application/json' } : {}) },
    ...(init ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    throw new JiraReadError(response.status, operation, text.slice(0, 300));
  }
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    throw new JiraReadError(response.status, operation, `unexpected answer (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Permissions

const myPermissionsSchema = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean() })),
});

/**
 * The caller's own permissions, in a project when one is given. A project the caller cannot see
 * answers 404 in Jira: that is "no permission", not an error.
 */
async function myPermissions(projectKey: string | null): Promise<Record<PermissionKey, boolean>> {
  const none = { BROWSE_PROJECTS: false, ADMINISTER_PROJECTS: false, ADMINISTER: false };
  try {
    const keys = PERMISSION_KEYS.join(',');
    const answer = await read(
      'user',
      'GET /rest/api/3/mypermissions',
      projectKey === null
        ? route`/rest/api/3/mypermissions?permissions=${keys}`
        : route`/rest/api/3/mypermissions?projectKey=${projectKey}&permissions=${keys}`,
      myPermissionsSchema,
    );
    return {
      BROWSE_PROJECTS: answer.permissions['BROWSE_PROJECTS']?.havePermission === true,
      ADMINISTER_PROJECTS: answer.permissions['ADMINISTER_PROJECTS']?.havePermission === true,
      ADMINISTER: answer.permissions['ADMINISTER']?.havePermission === true,
    };
  } catch (error) {
    if (error instanceof JiraReadError && (error.status === 404 || error.status === 403 || error.status === 401)) return none;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// People, groups, project roles

const userSchema = z.object({
  accountId: z.string(),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
  accountType: z.string().optional(),
  avatarUrls: z.record(z.string(), z.string()).optional(),
});
type JiraUser = z.infer<typeof userSchema>;

function toPerson(user: JiraUser): PersonInfo {
  return {
    accountId: user.accountId,
    displayName: user.displayName ?? 'A former user',
    avatarUrl: user.avatarUrls?.['48x48'] ?? user.avatarUrls?.['24x24'] ?? null,
    active: user.active ?? true,
  };
}

async function searchUsers(query: string, maxResults = 20): Promise<PersonInfo[]> {
  const users = await read('user', 'GET /rest/api/3/user/search', route`/rest/api/3/user/search?query=${query}&maxResults=${maxResults}`, z.array(userSchema));
  // App and customer accounts cannot hold a Scrum role.
  return users.filter((u) => u.accountType === undefined || u.accountType === 'atlassian').map(toPerson);
}

/** Names for account ids, 100 at a time; unknown accounts are simply absent. */
async function usersByIds(accountIds: readonly string[], caller: Caller = 'user'): Promise<PersonInfo[]> {
  const unique = [...new Set(accountIds)];
  const found: PersonInfo[] = [];
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const query = new URLSearchParams([...chunk.map((id) => ['accountId', id] as [string, string]), ['maxResults', '100']]);
    const answer = await read(caller, 'GET /rest/api/3/user/bulk', route`/rest/api/3/user/bulk?${query}`, z.object({ values: z.array(userSchema) }));
    found.push(...answer.values.map(toPerson));
  }
  return found;
}

/** The app's own account (asApp `myself`): the author of the app's undos in Jira's history. */
async function appAccountId(): Promise<string> {
  return (await read('app', 'GET /rest/api/3/myself', route`/rest/api/3/myself`, z.object({ accountId: z.string() }))).accountId;
}

const groupPickerSchema = z.object({ groups: z.array(z.object({ name: z.string(), groupId: z.string().nullish() })) });

async function searchGroups(query: string, maxResults = 20): Promise<{ groupId: string; name: string }[]> {
  const answer = await read('user', 'GET /rest/api/3/groups/picker', route`/rest/api/3/groups/picker?query=${query}&maxResults=${maxResults}`, groupPickerSchema);
  return answer.groups.flatMap((g) => (g.groupId ? [{ groupId: g.groupId, name: g.name }] : []));
}

/** Every member of a group (all pages). */
async function groupMembers(groupId: string, caller: Caller): Promise<PersonInfo[]> {
  const members: PersonInfo[] = [];
  const pageSchema = z.object({ values: z.array(userSchema), isLast: z.boolean().optional(), total: z.number().optional() });
  for (let startAt = 0; startAt < 10_000; ) {
    const page = await read(caller, 'GET /rest/api/3/group/member', route`/rest/api/3/group/member?groupId=${groupId}&startAt=${startAt}&maxResults=50`, pageSchema);
    members.push(...page.values.map(toPerson));
    if (page.isLast !== false || page.values.length === 0) break;
    startAt += page.values.length;
  }
  return members;
}

/** The project's roles: `GET project/{key}/role` answers a map of name to URL ending in the role id. */
async function projectRoles(projectKey: string, caller: Caller): Promise<{ id: string; name: string }[]> {
  const answer = await read(caller, 'GET /rest/api/3/project/{key}/role', route`/rest/api/3/project/${projectKey}/role`, z.record(z.string(), z.string()));
  return Object.entries(answer).flatMap(([name, url]) => {
    const id = /\/role\/(\d+)\/?$/.exec(url)?.[1];
    return id ? [{ id, name }] : [];
  });
}

const roleActorsSchema = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  name: z.string().optional(),
  actors: z
    .array(
      z.object({
        type: z.string().optional(),
        actorUser: z.object({ accountId: z.string() }).optional(),
        actorGroup: z.object({ groupId: z.string().nullish(), name: z.string().optional() }).optional(),
      }),
    )
    .default([]),
});

/** A project role's actors: account ids named directly, and group ids. */
async function projectRoleActors(projectKey: string, roleId: string, caller: Caller): Promise<RoleActors> {
  const answer = await read(caller, 'GET /rest/api/3/project/{key}/role/{id}', route`/rest/api/3/project/${projectKey}/role/${roleId}`, roleActorsSchema);
  return {
    users: answer.actors.flatMap((a) => (a.actorUser ? [a.actorUser.accountId] : [])),
    groups: answer.actors.flatMap((a) => (a.actorGroup?.groupId ? [a.actorGroup.groupId] : [])),
  };
}

const projectStatusesSchema = z.array(z.object({ statuses: z.array(z.object({ id: z.string(), name: z.string() })).default([]) }));

/** Status names by id, of every work item type of the project (`GET project/{key}/statuses`). */
async function statusNames(projectKey: string, caller: Caller): Promise<Map<string, string>> {
  const types = await read(caller, 'GET /rest/api/3/project/{key}/statuses', route`/rest/api/3/project/${projectKey}/statuses`, projectStatusesSchema);
  return new Map(types.flatMap((t) => t.statuses.map((s) => [s.id, s.name] as const)));
}

/** Names for group ids, through the group picker (the bulk group endpoint needs a site-admin scope). */
async function groupsByIds(groupIds: readonly string[]): Promise<{ groupId: string; name: string }[]> {
  if (groupIds.length === 0) return [];
  const wanted = new Set(groupIds);
  const answer = await read('app', 'GET /rest/api/3/groups/picker', route`/rest/api/3/groups/picker?query=&maxResults=1000`, groupPickerSchema);
  return answer.groups.flatMap((g) => (g.groupId && wanted.has(g.groupId) ? [{ groupId: g.groupId, name: g.name }] : []));
}

// ---------------------------------------------------------------------------------------------
// History, for the audit

const searchSchema = z.object({
  issues: z.array(
    z.object({
      id: z.string(),
      key: z.string(),
      fields: z.record(z.string(), z.unknown()).default({}),
    }),
  ),
  nextPageToken: z.string().nullish(),
});

/** Every work item a JQL query finds (all pages), with the fields asked for. */
async function searchIssues(jql: string, fields: readonly string[], caller: Caller, limit = 10_000): Promise<SearchedIssue[]> {
  const found: SearchedIssue[] = [];
  let nextPageToken: string | undefined;
  while (found.length < limit) {
    const body: Record<string, unknown> = { jql, fields: [...fields], maxResults: 100, ...(nextPageToken ? { nextPageToken } : {}) };
    const page = await read(caller, 'POST /rest/api/3/search/jql', route`/rest/api/3/search/jql`, searchSchema, { method: 'POST', body });
    found.push(...page.issues);
    if (!page.nextPageToken || page.issues.length === 0) break;
    nextPageToken = page.nextPageToken;
  }
  return found.slice(0, limit);
}

const changelogItemSchema = z.looseObject({
  field: z.string().optional(),
  fieldtype: z.string().optional(),
  fieldId: z.string().optional(),
  from: z.string().nullish(),
  fromString: z.string().nullish(),
  to: z.string().nullish(),
  toString: z.string().nullish(),
});
const historySchema = z.object({
  id: z.string(),
  created: z.string(),
  author: z.object({ accountId: z.string() }).nullish(),
  items: z.array(changelogItemSchema),
});

const bulkChangelogSchema = z.object({
  issueChangeLogs: z.array(z.object({ issueId: z.string(), changeHistories: z.array(historySchema) })).default([]),
  nextPageToken: z.string().nullish(),
});

/** The changelogs of up to 1000 work items at once (`POST changelog/bulkfetch`), by issue id. */
async function changelogsOf(issueIds: readonly string[], caller: Caller): Promise<Map<string, ChangeHistory[]>> {
  const byIssue = new Map<string, ChangeHistory[]>();
  let nextPageToken: string | undefined;
  for (let pages = 0; pages < 500; pages++) {
    const body: Record<string, unknown> = { issueIdsOrKeys: [...issueIds], maxResults: 1000, ...(nextPageToken ? { nextPageToken } : {}) };
    const page = await read(caller, 'POST /rest/api/3/changelog/bulkfetch', route`/rest/api/3/changelog/bulkfetch`, bulkChangelogSchema, { method: 'POST', body });
    for (const entry of page.issueChangeLogs) {
      const list = byIssue.get(entry.issueId) ?? [];
      list.push(...entry.changeHistories);
      byIssue.set(entry.issueId, list);
    }
    if (!page.nextPageToken) break;
    nextPageToken = page.nextPageToken;
  }
  return byIssue;
}

const boardsSchema = z.object({ values: z.array(z.object({ id: z.number() })), isLast: z.boolean().optional() });
const sprintSchema = z.object({
  id: z.number(),
  name: z.string().optional(),
  state: z.string(),
  goal: z.string().nullish(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  completeDate: z.string().nullish(),
  originBoardId: z.number().nullish(),
});
const sprintsSchema = z.object({ values: z.array(sprintSchema), isLast: z.boolean().optional() });

/** Every sprint of every board of the project (Agile API), each once. */
async function projectSprints(projectKey: string, caller: Caller): Promise<AgileSprint[]> {
  const boards = await read(caller, 'GET /rest/agile/1.0/board', route`/rest/agile/1.0/board?projectKeyOrId=${projectKey}&maxResults=50`, boardsSchema);
  const sprints = new Map<number, AgileSprint>();
  for (const board of boards.values) {
    for (let startAt = 0; startAt < 5000; ) {
      const page = await read(caller, 'GET /rest/agile/1.0/board/{id}/sprint', route`/rest/agile/1.0/board/${board.id}/sprint?startAt=${startAt}&maxResults=50`, sprintsSchema);
      for (const sprint of page.values) sprints.set(sprint.id, sprint);
      if (page.isLast !== false || page.values.length === 0) break;
      startAt += page.values.length;
    }
  }
  return [...sprints.values()];
}

/** The Jira field ids of the site's rank, sprint and estimate fields, by custom type. */
async function agileFieldIds(caller: Caller): Promise<FieldIds> {
  const fields = await read(
    caller,
    'GET /rest/api/3/field',
    route`/rest/api/3/field`,
    z.array(z.object({ id: z.string(), schema: z.object({ custom: z.string().optional() }).optional() })),
  );
  const byType = (type: string) => fields.find((f) => f.schema?.custom === type)?.id;
  const found: { rank?: string; sprint?: string; estimate?: string } = {};
  const rank = byType('com.pyxis.greenhopper.jira:gh-lexo-rank');
  const sprint = byType('com.pyxis.greenhopper.jira:gh-sprint');
  const estimate = byType('com.pyxis.greenhopper.jira:jsw-story-points');
  if (rank) found.rank = rank;
  if (sprint) found.sprint = sprint;
  if (estimate) found.estimate = estimate;
  return found;
}

export const forgeJiraReads: JiraReads = {
  myPermissions,
  searchUsers: (query) => searchUsers(query),
  usersByIds,
  appAccountId,
  searchGroups: (query) => searchGroups(query),
  groupsByIds,
  groupMembers,
  projectRoles,
  projectRoleActors,
  statusNames,
  searchIssues,
  changelogsOf,
  projectSprints,
  agileFieldIds,
};
