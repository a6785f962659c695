/** The JSON shapes Jira answers with, built from the site's state. */
import type { JiraSite } from './site';
import type { ChangeItem, ChangelogEntry, FieldDefinition, Issue, IssueType, Person, Priority, Sprint, Status } from './model';

const CATEGORY = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;

export function avatarUrls(site: JiraSite, kind: string, id: string): Record<string, string> {
  const base = `${site.baseUrl}/secure/useravatar?${kind}=${encodeURIComponent(id)}`;
  return { '48x48': `${base}&size=48`, '24x24': `${base}&size=24`, '16x16': `${base}&size=16`, '32x32': `${base}&size=32` };
}

/** `User` (platform API), without the optional expansions. */
export function userBean(site: JiraSite, person: Person): Record<string, unknown> {
  return {
    self: `${site.baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(person.accountId)}`,
    accountId: person.accountId,
    accountType: person.accountType,
    avatarUrls: avatarUrls(site, 'accountId', person.accountId),
    displayName: person.displayName,
    active: true,
    timeZone: person.timeZone,
    locale: 'en_GB',
  };
}

/** `UserDetails`: the smaller user shape of changelogs, group members and issue fields. */
export function userDetails(site: JiraSite, person: Person): Record<string, unknown> {
  return {
    self: `${site.baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(person.accountId)}`,
    accountId: person.accountId,
    avatarUrls: avatarUrls(site, 'accountId', person.accountId),
    displayName: person.displayName,
    active: true,
    timeZone: person.timeZone,
    accountType: person.accountType,
  };
}

export function userField(site: JiraSite, accountId: string | null): Record<string, unknown> | null {
  if (accountId === null) return null;
  const person = site.person(accountId);
  return person ? userDetails(site, person) : { accountId };
}

export function statusBean(site: JiraSite, status: Status): Record<string, unknown> {
  const category = CATEGORY[status.category];
  return {
    self: `${site.baseUrl}/rest/api/3/status/${status.id}`,
    description: '',
    iconUrl: `${site.baseUrl}/`,
    name: status.name,
    id: status.id,
    statusCategory: { self: `${site.baseUrl}/rest/api/3/statuscategory/${category.id}`, ...category },
  };
}

export function jiraStatusBean(status: Status): Record<string, unknown> {
  return { id: status.id, name: status.name, statusCategory: { new: 'TODO', indeterminate: 'IN_PROGRESS', done: 'DONE' }[status.category] };
}

export function priorityBean(site: JiraSite, priority: Priority): Record<string, unknown> {
  return {
    self: `${site.baseUrl}/rest/api/3/priority/${priority.id}`,
    statusColor: priority.color,
    description: priority.name,
    iconUrl: `${site.baseUrl}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
}

export function issueTypeBean(site: JiraSite, type: IssueType): Record<string, unknown> {
  return {
    self: `${site.baseUrl}/rest/api/3/issuetype/${type.id}`,
    id: type.id,
    description: type.description,
    iconUrl: `${site.baseUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${type.id}?size=medium`,
    name: type.name,
    subtask: type.subtask,
    avatarId: Number(type.id),
    hierarchyLevel: type.hierarchyLevel,
  };
}

export function projectRef(site: JiraSite, projectKey: string = site.project.key): Record<string, unknown> {
  const p = site.projectOf(projectKey)?.project ?? site.project;
  return {
    self: `${site.baseUrl}/rest/api/3/project/${p.id}`,
    id: p.id,
    key: p.key,
    name: p.name,
    projectTypeKey: 'software',
    simplified: p.style === 'next-gen',
    avatarUrls: avatarUrls(site, 'projectId', p.id),
  };
}

export function fieldBean(field: FieldDefinition): Record<string, unknown> {
  return {
    id: field.id,
    key: field.id,
    name: field.name,
    custom: field.custom,
    orderable: !['status', 'created', 'updated', 'creator', 'statusCategory', 'resolutiondate', 'statuscategorychangedate', 'subtasks'].includes(field.id),
    navigable: true,
    searchable: true,
    clauseNames: [...field.clauseNames],
    schema: { ...field.schema },
    ...(field.scope ? { scope: { type: field.scope.type, project: { id: field.scope.projectId } } } : {}),
  };
}

/** The sprint as the Agile API shows it; dates only once the sprint has them. */
export function sprintBean(site: JiraSite, sprint: Sprint): Record<string, unknown> {
  return {
    id: sprint.id,
    self: `${site.baseUrl}/rest/agile/1.0/sprint/${sprint.id}`,
    state: sprint.state,
    name: sprint.name,
    ...(sprint.startDate ? { startDate: sprint.startDate } : {}),
    ...(sprint.endDate ? { endDate: sprint.endDate } : {}),
    ...(sprint.completeDate ? { completeDate: sprint.completeDate } : {}),
    createdDate: sprint.createdDate,
    originBoardId: sprint.originBoardId,
    goal: sprint.goal,
  };
}

/** One entry of the sprint custom field's value in the platform API. */
export function sprintFieldEntry(sprint: Sprint): Record<string, unknown> {
  return {
    id: sprint.id,
    name: sprint.name,
    state: sprint.state,
    boardId: sprint.originBoardId,
    goal: sprint.goal,
    ...(sprint.startDate ? { startDate: sprint.startDate } : {}),
    ...(sprint.endDate ? { endDate: sprint.endDate } : {}),
    ...(sprint.completeDate ? { completeDate: sprint.completeDate } : {}),
  };
}

/** Plain text of an Atlassian Document, for changelog strings and the Agile API's description. */
export function adfText(doc: unknown): string | null {
  if (doc === null || doc === undefined) return null;
  if (typeof doc === 'string') return doc;
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as { type?: unknown; text?: unknown; content?: unknown };
    if (typeof n.text === 'string') parts.push(n.text);
    if (Array.isArray(n.content)) {
      n.content.forEach(walk);
      if (n.type === 'paragraph') parts.push('\n');
    }
  };
  walk(doc);
  return parts.join('').trim();
}

function issueLink(site: JiraSite, issue: Issue): Record<string, unknown> {
  return {
    id: issue.id,
    key: issue.key,
    self: `${site.baseUrl}/rest/api/3/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      status: statusBean(site, site.status(issue.statusId)),
      priority: priorityBean(site, site.priority(issue.priorityId)),
      issuetype: issueTypeBean(site, site.issueType(issue.typeId)),
    },
  };
}

/** Every field of a work item, by field id, in the platform API's shape (or the Agile API's). */
export function allFields(site: JiraSite, issue: Issue, flavour: 'platform' | 'agile'): Record<string, unknown> {
  const status = site.status(issue.statusId);
  const parent = issue.parentKey === null ? null : site.findIssue(issue.parentKey);
  const sprints = issue.sprintIds.map((id) => site.sprint(id)).filter((s): s is Sprint => s !== undefined);
  const ids = site.fieldIds;
  const fields: Record<string, unknown> = {
    summary: issue.summary,
    description: flavour === 'platform' ? issue.description ?? null : adfText(issue.description),
    issuetype: issueTypeBean(site, site.issueType(issue.typeId)),
    project: projectRef(site, issue.projectKey),
    status: statusBean(site, status),
    statusCategory: { self: `${site.baseUrl}/rest/api/3/statuscategory/${CATEGORY[status.category].id}`, ...CATEGORY[status.category] },
    priority: priorityBean(site, site.priority(issue.priorityId)),
    assignee: userField(site, issue.assignee),
    reporter: userField(site, issue.reporter),
    creator: userField(site, issue.creator),
    created: issue.created,
    updated: issue.updated,
    resolution: status.category === 'done' ? { self: `${site.baseUrl}/rest/api/3/resolution/10000`, id: '10000', description: 'Work has been completed on this issue.', name: 'Done' } : null,
    resolutiondate: issue.resolutionDate,
    statuscategorychangedate: issue.statusCategoryChanged,
    labels: [...issue.labels],
    subtasks: site.subtasksOf(issue).map((s) => issueLink(site, s)),
    [ids.rank]: issue.rank,
    [ids.sprint]: sprints.length === 0 ? null : sprints.map(sprintFieldEntry),
    [site.estimateFieldOf(issue.projectKey)]: issue.estimate,
    customfield_10028: null,
  };
  if (parent) fields['parent'] = issueLink(site, parent);
  if (flavour === 'agile') {
    const open = sprints.find((s) => s.state !== 'closed');
    fields['sprint'] = open ? sprintBean(site, open) : null;
    fields['closedSprints'] = sprints.filter((s) => s.state === 'closed').map((s) => sprintBean(site, s));
    fields['flagged'] = false;
  }
  return fields;
}

/**
 * Which fields a `fields` parameter asks for: `*all`, `*navigable` (the default), `id` alone, a
 * list of ids, and `-id` to leave one out.
 */
export function selectFields(site: JiraSite, all: Record<string, unknown>, requested: readonly string[], fallback: '*all' | 'id'): Record<string, unknown> {
  const list = requested.length === 0 ? [fallback] : requested;
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const entry of list) {
    if (entry === '*all' || entry === '*navigable') Object.keys(all).forEach((k) => include.add(k));
    else if (entry.startsWith('-')) exclude.add(site.fieldIdFor(entry.slice(1)));
    // A field the answer has under that very name first (the Agile API's own `sprint`), else by id or name.
    else if (entry !== 'id' && entry !== 'key') include.add(entry in all ? entry : site.fieldIdFor(entry));
  }
  const out: Record<string, unknown> = {};
  for (const key of include) if (!exclude.has(key) && key in all) out[key] = all[key];
  return out;
}

/** A changelog item as the REST API shows it: Jira leaves out the values a change did not have. */
export function changeDetails(item: ChangeItem): Record<string, string> {
  const out: Record<string, string> = { field: item.field, fieldtype: item.fieldtype, fieldId: item.fieldId };
  for (const key of ['from', 'fromString', 'to', 'toString'] as const) {
    // Own properties only: an item without `toString` must not pick up Object.prototype's.
    const value = Object.hasOwn(item, key) ? item[key] : null;
    if (value !== null && value !== undefined) out[key] = value;
  }
  return out;
}

export function changelogBean(site: JiraSite, entry: ChangelogEntry, fieldFilter?: ReadonlySet<string>): Record<string, unknown> {
  const author = site.person(entry.authorAccountId);
  return {
    id: entry.id,
    ...(author ? { author: userDetails(site, author) } : {}),
    created: entry.created,
    items: entry.items.filter((i) => !fieldFilter || fieldFilter.has(i.fieldId)).map(changeDetails),
  };
}
