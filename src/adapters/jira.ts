/**
 * The Jira port on @forge/api. Every call runs `asApp()`: triggers and consumers have no user, and the
 * app's reverts must not depend on the rights of whoever broke a rule. Every answer relied on is parsed
 * with zod; 429, 5xx, network failures and success answers that do not parse become
 * JiraUnavailableError (with Jira's Retry-After), any other refusal a JiraRequestError.
 */
import api, { route, type APIResponse } from '@forge/api';
import { z } from 'zod';
import { sprintsOf, type FieldIds, type SprintRef } from '../core/events';
import {
  JiraRequestError,
  JiraUnavailableError,
  type IssueSnapshot,
  type JiraPort,
  type RankAnchor,
  type RoleActors,
} from '../app/ports';

export const SUMMARY_PROPERTY_KEY = 'scrum-role-guard-summary';

const RANK_TYPE = 'com.pyxis.greenhopper.jira:gh-lexo-rank';
const SPRINT_TYPE = 'com.pyxis.greenhopper.jira:gh-sprint';
const STORY_POINTS_TYPES = ['com.pyxis.greenhopper.jira:jsw-story-points', 'com.atlassian.jira.plugin.system.customfieldtypes:float'];

/** Seconds to wait when Jira does not say (Forge allows up to 900 s for retryAfter). */
const DEFAULT_RETRY_AFTER_SECONDS = 3;
const MAX_RETRY_AFTER_SECONDS = 900;

type RouteValue = ReturnType<typeof route>;

function retryAfterOf(response: APIResponse): number {
  const header = response.headers.get('retry-after');
  if (header === null) return DEFAULT_RETRY_AFTER_SECONDS;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
  const date = Date.parse(header);
  if (Number.isFinite(date)) return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil((date - Date.now()) / 1000)));
  return DEFAULT_RETRY_AFTER_SECONDS;
}

interface CallOptions {
  readonly method?: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly body?: unknown;
  /** Statuses that are an answer, not an error (e.g. 404 for "no such item"). */
  readonly accept?: readonly number[];
}

async function call(operation: string, path: RouteValue, options: CallOptions = {}): Promise<APIResponse> {
  let response: APIResponse;
  try {
    response = await api.asApp().requestJira(path, {
      method: options.method ?? 'GET',
      headers: { accept: 'application/json', ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (error) {
    // A dropped connection or a proxy time-out: Jira may be fine a moment later.
    throw new JiraUnavailableError(null, `${operation} (${error instanceof Error ? error.message : String(error)})`, DEFAULT_RETRY_AFTER_SECONDS);
  }
  if (response.ok || options.accept?.includes(response.status)) return response;
  if (response.status === 429 || response.status >= 500) throw new JiraUnavailableError(response.status, operation, retryAfterOf(response));
  const text = await response.text().catch(() => '');
  throw new JiraRequestError(response.status, operation, text.slice(0, 300));
}

/**
 * A success status with a body that is not the documented answer (a proxy's page, a truncated body, a
 * changed shape): nothing may be decided on it. It is treated as Jira failing, so the event is retried
 * and, after the last try, logged as unjudgeable; the message names the field and what was expected.
 */
function malformedAnswer(response: APIResponse, operation: string, detail: string): JiraUnavailableError {
  return new JiraUnavailableError(response.status, `${operation} (${detail})`, DEFAULT_RETRY_AFTER_SECONDS);
}

async function parsed<T>(operation: string, response: APIResponse, schema: z.ZodType<T>): Promise<T> {
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw malformedAnswer(response, operation, 'the answer is not JSON');
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw malformedAnswer(response, operation, `unexpected answer: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Answers, as far as they are used

const idText = z.union([z.string(), z.number().transform(String)]);

const issueSchema = z.object({
  id: idText,
  key: z.string(),
  fields: z.record(z.string(), z.unknown()).default({}),
  properties: z.record(z.string(), z.unknown()).optional(),
  changelog: z
    .object({
      histories: z.array(
        z.object({
          id: idText,
          // Only to tell the app's own changes apart: an author that cannot be read counts as someone else.
          author: z.looseObject({ accountId: z.string() }).nullish().catch(null),
          items: z.array(z.looseObject({ fieldId: z.string().optional(), field: z.string().optional() })),
        }),
      ),
    })
    .optional(),
});

const fieldRefs = z.object({
  project: z.object({ id: idText.optional(), key: z.string().optional() }).nullish(),
  issuetype: z.object({ subtask: z.boolean().optional() }).nullish(),
  status: z.object({ id: idText }).nullish(),
  priority: z.object({ id: idText }).nullish(),
  assignee: z.object({ accountId: z.string() }).nullish(),
});

const fieldListSchema = z.array(
  z.object({
    id: z.string(),
    schema: z.object({ custom: z.string().optional() }).optional(),
    // A team-managed project's own field carries its project as scope.
    scope: z.object({ type: z.string().optional(), project: z.object({ id: idText.optional() }).optional() }).optional(),
  }),
);
const boardsSchema = z.object({ values: z.array(z.object({ id: z.number() })) });
const boardConfigSchema = z.object({
  location: z.object({ projectKeyOrId: idText.optional(), key: z.string().optional() }).optional(),
  estimation: z.object({ type: z.string().optional(), field: z.object({ fieldId: z.string() }).optional() }).optional(),
  ranking: z.object({ rankCustomFieldId: z.number() }).optional(),
});
const projectSchema = z.object({ id: idText, key: z.string() });
const groupsSchema = z.array(z.object({ groupId: z.string().nullish(), name: z.string().optional() }));
const roleSchema = z.object({
  actors: z
    .array(
      z.object({
        actorUser: z.object({ accountId: z.string() }).optional(),
        actorGroup: z.object({ groupId: z.string().optional() }).optional(),
      }),
    )
    .default([]),
});
const searchSchema = z.object({
  issues: z.array(z.object({ id: idText, key: z.string(), fields: z.record(z.string(), z.unknown()).default({}) })),
  nextPageToken: z.string().nullish(),
});
const agileIssueSchema = z.object({ fields: z.record(z.string(), z.unknown()).default({}) });
const myselfSchema = z.object({ accountId: z.string() });
const propertySchema = z.object({ key: z.string(), value: z.unknown() });
const projectStyleSchema = z.object({ style: z.string().optional(), simplified: z.boolean().optional() });
const groupPickerSchema = z.object({ groups: z.array(z.object({ name: z.string(), groupId: z.string().nullish() })) });

function numberOrNull(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export class ForgeJira implements JiraPort {
  async readIssue(issueKeyOrId: string, fields: FieldIds, options: { changelog: boolean }): Promise<IssueSnapshot | null> {
    const wanted = ['project', 'issuetype', 'status', 'priority', 'assignee', fields.rank, fields.sprint, fields.estimate].filter((f): f is string => f !== undefined);
    const operation = 'GET /rest/api/3/issue/{issueIdOrKey}';
    const path = options.changelog
      ? route`/rest/api/3/issue/${issueKeyOrId}?fields=${wanted.join(',')}&properties=${SUMMARY_PROPERTY_KEY}&expand=changelog`
      : route`/rest/api/3/issue/${issueKeyOrId}?fields=${wanted.join(',')}&properties=${SUMMARY_PROPERTY_KEY}`;
    const response = await call(operation, path, { accept: [404] });
    if (response.status === 404) return null;
    const issue = await parsed(operation, response, issueSchema);
    const refs = fieldRefs.safeParse(issue.fields);
    if (!refs.success) throw malformedAnswer(response, operation, `unexpected answer: ${refs.error.issues.map((i) => `fields.${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const rank = fields.rank !== undefined ? issue.fields[fields.rank] : undefined;
    return {
      id: issue.id,
      key: issue.key,
      projectKey: refs.data.project?.key ?? null,
      projectId: refs.data.project?.id ?? null,
      subtask: refs.data.issuetype?.subtask === true,
      statusId: refs.data.status?.id ?? null,
      rank: typeof rank === 'string' ? rank : null,
      sprints: fields.sprint !== undefined ? sprintsOf(issue.fields, fields.sprint) : null,
      estimate: fields.estimate !== undefined ? numberOrNull(issue.fields[fields.estimate]) : null,
      priorityId: refs.data.priority?.id ?? null,
      assigneeId: refs.data.assignee?.accountId ?? null,
      changelog: issue.changelog
        ? issue.changelog.histories.map((h) => ({ id: h.id, fieldIds: h.items.map((i) => i.fieldId ?? i.field ?? ''), authorId: h.author?.accountId ?? null }))
        : null,
      summaryProperty: issue.properties?.[SUMMARY_PROPERTY_KEY],
    };
  }

  async agileSprints(issueKeyOrId: string): Promise<SprintRef[] | null> {
    const operation = 'GET /rest/agile/1.0/issue/{issueIdOrKey}';
    const response = await call(operation, route`/rest/agile/1.0/issue/${issueKeyOrId}?fields=sprint`, { accept: [404] });
    if (response.status === 404) return null;
    const issue = await parsed(operation, response, agileIssueSchema);
    return sprintsOf(issue.fields, undefined) ?? [];
  }

  async discoverFields(projectKey: string): Promise<FieldIds> {
    const operation = 'GET /rest/api/3/field';
    const all = await parsed(operation, await call(operation, route`/rest/api/3/field`), fieldListSchema);
    // Fields scoped to another (team-managed) project are not this project's.
    const projectId = await this.projectId(projectKey);
    const list = all.filter((f) => f.scope?.type !== 'PROJECT' || f.scope.project?.id === projectId);
    const byType = (type: string): string | undefined => list.find((f) => f.schema?.custom === type)?.id;
    let rank = byType(RANK_TYPE);
    const sprint = byType(SPRINT_TYPE);
    let estimate: string | undefined;
    // The estimate is whatever the board estimates with; a site may have several number fields.
    const boardsOp = 'GET /rest/agile/1.0/board';
    const boards = await parsed(boardsOp, await call(boardsOp, route`/rest/agile/1.0/board?projectKeyOrId=${projectKey}&type=scrum&maxResults=50`), boardsSchema);
    const board = boards.values[0];
    if (board !== undefined) {
      const configOp = 'GET /rest/agile/1.0/board/{boardId}/configuration';
      const config = await parsed(configOp, await call(configOp, route`/rest/agile/1.0/board/${board.id}/configuration`), boardConfigSchema);
      if (config.estimation?.type === 'field' && config.estimation.field) estimate = config.estimation.field.fieldId;
      if (config.ranking) rank = `customfield_${config.ranking.rankCustomFieldId}`;
    }
    estimate ??= STORY_POINTS_TYPES.map(byType).find((id) => id !== undefined);
    return { ...(rank ? { rank } : {}), ...(sprint ? { sprint } : {}), ...(estimate ? { estimate } : {}) };
  }

  private async projectId(projectKey: string): Promise<string | null> {
    const operation = 'GET /rest/api/3/project/{projectIdOrKey}';
    const response = await call(operation, route`/rest/api/3/project/${projectKey}`, { accept: [404] });
    return response.status === 404 ? null : (await parsed(operation, response, projectSchema)).id;
  }

  async groupsOf(accountId: string): Promise<string[]> {
    const operation = 'GET /rest/api/3/user/groups';
    const groups = await parsed(operation, await call(operation, route`/rest/api/3/user/groups?accountId=${accountId}`), groupsSchema);
    return groups.flatMap((g) => (g.groupId ? [g.groupId] : []));
  }

  async projectRoleActors(projectKey: string, roleId: string): Promise<RoleActors> {
    const operation = 'GET /rest/api/3/project/{projectIdOrKey}/role/{id}';
    const response = await call(operation, route`/rest/api/3/project/${projectKey}/role/${roleId}`, { accept: [404] });
    // A project role deleted since the config was saved holds nobody.
    if (response.status === 404) return { users: [], groups: [] };
    const role = await parsed(operation, response, roleSchema);
    return {
      users: role.actors.flatMap((a) => (a.actorUser ? [a.actorUser.accountId] : [])),
      groups: role.actors.flatMap((a) => (a.actorGroup?.groupId ? [a.actorGroup.groupId] : [])),
    };
  }

  async boardProjectKey(boardId: string): Promise<string | null> {
    const configOp = 'GET /rest/agile/1.0/board/{boardId}/configuration';
    const response = await call(configOp, route`/rest/agile/1.0/board/${boardId}/configuration`, { accept: [404] });
    if (response.status === 404) return null;
    const config = await parsed(configOp, response, boardConfigSchema);
    const projectRef = config.location?.key ?? config.location?.projectKeyOrId;
    if (projectRef === undefined) return null;
    const projectOp = 'GET /rest/api/3/project/{projectIdOrKey}';
    const projectResponse = await call(projectOp, route`/rest/api/3/project/${projectRef}`, { accept: [404] });
    if (projectResponse.status === 404) return null;
    return (await parsed(projectOp, projectResponse, projectSchema)).key;
  }

  private async search(jql: string, fields: string[], limit: number): Promise<z.infer<typeof searchSchema>['issues']> {
    const operation = 'POST /rest/api/3/search/jql';
    const found: z.infer<typeof searchSchema>['issues'] = [];
    let nextPageToken: string | undefined;
    while (found.length < limit) {
      const body = { jql, fields, maxResults: 100, ...(nextPageToken ? { nextPageToken } : {}) };
      const page = await parsed(operation, await call(operation, route`/rest/api/3/search/jql`, { method: 'POST', body }), searchSchema);
      found.push(...page.issues);
      if (!page.nextPageToken || page.issues.length === 0) break;
      nextPageToken = page.nextPageToken;
    }
    return found;
  }

  async currentRanks(issueKeys: readonly string[], rankFieldId: string): Promise<Map<string, { id: string; rank: string | null }>> {
    const ranks = new Map<string, { id: string; rank: string | null }>();
    if (issueKeys.length === 0) return ranks;
    // Keys come from Jira itself (PROJ-123); quoting keeps JQL from reading anything else into them.
    const jql = `key in (${issueKeys.map((k) => `"${k.replace(/["\\]/g, '')}"`).join(', ')})`;
    for (const issue of await this.search(jql, [rankFieldId], issueKeys.length)) {
      const rank = issue.fields[rankFieldId];
      ranks.set(issue.key, { id: issue.id, rank: typeof rank === 'string' ? rank : null });
    }
    return ranks;
  }

  async rankOrder(projectKey: string, rankFieldId: string): Promise<{ id: string; key: string; rank: string }[]> {
    const jql = `project = "${projectKey.replace(/["\\]/g, '')}" ORDER BY Rank ASC`;
    return (await this.search(jql, [rankFieldId], 20_000)).flatMap((issue) => {
      const rank = issue.fields[rankFieldId];
      return typeof rank === 'string' ? [{ id: issue.id, key: issue.key, rank }] : [];
    });
  }

  async rank(issueKey: string, anchor: RankAnchor, rankFieldId: string | undefined): Promise<void> {
    const operation = 'PUT /rest/agile/1.0/issue/rank';
    const customId = rankFieldId !== undefined ? Number(rankFieldId.replace('customfield_', '')) : undefined;
    const body = {
      issues: [issueKey],
      ...('before' in anchor ? { rankBeforeIssue: anchor.before } : { rankAfterIssue: anchor.after }),
      ...(customId !== undefined && Number.isInteger(customId) ? { rankCustomFieldId: customId } : {}),
    };
    const response = await call(operation, route`/rest/agile/1.0/issue/rank`, { method: 'PUT', body });
    if (response.status === 207) {
      // Partial success: the one item named was not ranked.
      const text = await response.text().catch(() => '');
      throw new JiraRequestError(207, operation, `the item was not ranked: ${text.slice(0, 300)}`);
    }
  }

  async editFields(issueKey: string, fields: Readonly<Record<string, unknown>>): Promise<void> {
    await call('PUT /rest/api/3/issue/{issueIdOrKey}', route`/rest/api/3/issue/${issueKey}`, { method: 'PUT', body: { fields } });
  }

  async moveToBacklog(issueKeys: readonly string[]): Promise<void> {
    await call('POST /rest/agile/1.0/backlog/issue', route`/rest/agile/1.0/backlog/issue`, { method: 'POST', body: { issues: [...issueKeys] } });
  }

  async setIssueProperty(issueKey: string, propertyKey: string, value: unknown): Promise<void> {
    await call('PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', route`/rest/api/3/issue/${issueKey}/properties/${propertyKey}`, { method: 'PUT', body: value });
  }

  async projectProperty(projectKey: string, propertyKey: string): Promise<unknown> {
    const operation = 'GET /rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}';
    const response = await call(operation, route`/rest/api/3/project/${projectKey}/properties/${propertyKey}`, { accept: [404] });
    if (response.status === 404) return undefined;
    return (await parsed(operation, response, propertySchema)).value;
  }

  async setProjectProperty(projectKey: string, propertyKey: string, value: unknown): Promise<void> {
    await call('PUT /rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}', route`/rest/api/3/project/${projectKey}/properties/${propertyKey}`, { method: 'PUT', body: value });
  }

  async deleteProjectProperty(projectKey: string, propertyKey: string): Promise<void> {
    await call('DELETE /rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}', route`/rest/api/3/project/${projectKey}/properties/${propertyKey}`, { method: 'DELETE', accept: [404] });
  }

  async projectStyle(projectKey: string): Promise<'company-managed' | 'team-managed' | null> {
    const operation = 'GET /rest/api/3/project/{projectIdOrKey}';
    const response = await call(operation, route`/rest/api/3/project/${projectKey}`, { accept: [404] });
    if (response.status === 404) return null;
    const project = await parsed(operation, response, projectStyleSchema);
    // `style`: "classic" for company-managed, "next-gen" for team-managed; `simplified` says the same.
    if (project.style === 'next-gen' || project.simplified === true) return 'team-managed';
    if (project.style === 'classic' || project.simplified === false) return 'company-managed';
    return null;
  }

  async groupNames(groupIds: readonly string[]): Promise<Record<string, string>> {
    const operation = 'GET /rest/api/3/groups/picker';
    const wanted = new Set(groupIds);
    const answer = await parsed(operation, await call(operation, route`/rest/api/3/groups/picker?query=&maxResults=1000`), groupPickerSchema);
    return Object.fromEntries(answer.groups.flatMap((g) => (g.groupId && wanted.has(g.groupId) ? [[g.groupId, g.name]] : [])));
  }

  async appAccountId(): Promise<string> {
    const operation = 'GET /rest/api/3/myself';
    return (await parsed(operation, await call(operation, route`/rest/api/3/myself`), myselfSchema)).accountId;
  }
}
