/**
 * The demo site: people, groups, project roles, the DEMO project with its board and sprints, about
 * twenty work items with a backlog order, and some history made by different people so that an
 * audit of past changelogs has something to find.
 */
import { addDays, jiraDateTime } from './dates';
import { buildDemoPast } from './demo-history';
import { initialRanks } from './lexorank';
import type {
  AgileFieldIds, Board, ChangeItem, FieldDefinition, Group, Issue, IssueType, Person, Priority, Project, ProjectRole, Sprint, Status, Transition,
} from './model';
import { ROLE_IDS } from './permissions';

export interface FieldOverride {
  readonly id?: string;
  readonly name?: string;
}

/** Renames or re-numbers the three agile fields, as other sites (or other languages) have them. */
export interface FieldOverrides {
  readonly rank?: FieldOverride;
  readonly sprint?: FieldOverride;
  readonly estimate?: FieldOverride;
}

/** A French site whose custom fields were created later, so their ids differ too. */
export const LOCALISED_FIELDS: FieldOverrides = {
  rank: { id: 'customfield_10119', name: 'Classement' },
  sprint: { id: 'customfield_10120', name: 'Sprint (équipe)' },
  estimate: { id: 'customfield_10116', name: "Points d'histoire" },
};

export const PEOPLE = {
  po: { accountId: '712020:aa000000-0000-4000-8000-000000000001', displayName: 'Olivia Owen', handle: 'olivia', demoRole: 'productOwner' },
  sm: { accountId: '712020:aa000000-0000-4000-8000-000000000002', displayName: 'Sam Rivera', handle: 'sam', demoRole: 'scrumMaster' },
  dev1: { accountId: '712020:aa000000-0000-4000-8000-000000000003', displayName: 'Dana Kim', handle: 'dana', demoRole: 'developer' },
  dev2: { accountId: '712020:aa000000-0000-4000-8000-000000000004', displayName: 'Theo Novak', handle: 'theo', demoRole: 'developer' },
  dev3: { accountId: '712020:aa000000-0000-4000-8000-000000000007', displayName: 'Ravi Shah', handle: 'ravi', demoRole: 'developer' },
  stakeholder: { accountId: '712020:aa000000-0000-4000-8000-000000000005', displayName: 'Stella Hart', handle: 'stella', demoRole: 'stakeholder' },
  admin: { accountId: '712020:aa000000-0000-4000-8000-000000000008', displayName: 'Alex Morgan', handle: 'alex', demoRole: 'jiraAdmin' },
  outsider: { accountId: '712020:aa000000-0000-4000-8000-000000000006', displayName: 'Oscar Reed', handle: 'oscar', demoRole: 'outsider' },
  app: { accountId: '712020:bb000000-0000-4000-8000-00000000a990', displayName: 'Scrum Role Guard', handle: 'app', demoRole: 'app' },
} as const;

export type PersonKey = keyof typeof PEOPLE;

export const GROUP_IDS = {
  jiraAdmins: '0b3c1f0e-5a8f-4a43-9d0e-1a2b3c4d5e01',
  softwareUsers: '0b3c1f0e-5a8f-4a43-9d0e-1a2b3c4d5e02',
  developers: '0b3c1f0e-5a8f-4a43-9d0e-1a2b3c4d5e03',
  product: '0b3c1f0e-5a8f-4a43-9d0e-1a2b3c4d5e04',
  stakeholders: '0b3c1f0e-5a8f-4a43-9d0e-1a2b3c4d5e05',
} as const;

export const STATUS_IDS = { toDo: '10000', inProgress: '3', done: '10001' } as const;
export const ISSUE_TYPE_IDS = { epic: '10000', story: '10001', bug: '10002', subtask: '10003', task: '10004' } as const;
export const SPRINT_IDS = { active: 1, future: 2 } as const;
export const BOARD_ID = 1;
export const PROJECT = { id: '10000', key: 'DEMO', name: 'Demo' } as const;

export interface DemoData {
  people: Person[];
  groups: Group[];
  roles: ProjectRole[];
  project: Project;
  issueTypes: IssueType[];
  statuses: Status[];
  transitions: Transition[];
  priorities: Priority[];
  fieldIds: AgileFieldIds;
  fields: FieldDefinition[];
  board: Board;
  sprints: Sprint[];
  issues: Issue[];
  nextChangelogId: number;
  nextIssueNumber: number;
  nextIssueId: number;
}

function customId(fieldId: string): number {
  const match = /^customfield_(\d+)$/.exec(fieldId);
  if (!match) throw new Error(`custom field ids look like customfield_<number>, got '${fieldId}'`);
  return Number(match[1]);
}

function buildFields(overrides: FieldOverrides): { fieldIds: AgileFieldIds; fields: FieldDefinition[] } {
  const rank = { id: overrides.rank?.id ?? 'customfield_10019', name: overrides.rank?.name ?? 'Rank' };
  const sprint = { id: overrides.sprint?.id ?? 'customfield_10020', name: overrides.sprint?.name ?? 'Sprint' };
  const estimate = { id: overrides.estimate?.id ?? 'customfield_10016', name: overrides.estimate?.name ?? 'Story point estimate' };
  const system = (id: string, name: string, type: string, extra: Partial<FieldDefinition['schema']> = {}, clauseNames: string[] = [id]): FieldDefinition => ({
    id, name, custom: false, schema: { type, system: id, ...extra }, clauseNames,
  });
  const custom = (f: { id: string; name: string }, type: string, customType: string, items?: string): FieldDefinition => ({
    id: f.id,
    name: f.name,
    custom: true,
    schema: { type, ...(items ? { items } : {}), custom: customType, customId: customId(f.id) },
    clauseNames: [`cf[${customId(f.id)}]`, f.name],
  });
  const fields: FieldDefinition[] = [
    system('summary', 'Summary', 'string'),
    system('description', 'Description', 'string'),
    system('issuetype', 'Issue Type', 'issuetype', {}, ['issuetype', 'type']),
    system('project', 'Project', 'project'),
    system('status', 'Status', 'status'),
    system('statusCategory', 'Status Category', 'statusCategory'),
    system('priority', 'Priority', 'priority'),
    system('assignee', 'Assignee', 'user'),
    system('reporter', 'Reporter', 'user'),
    system('creator', 'Creator', 'user'),
    system('created', 'Created', 'datetime', {}, ['created', 'createdDate']),
    system('updated', 'Updated', 'datetime', {}, ['updated', 'updatedDate']),
    system('resolution', 'Resolution', 'resolution'),
    system('resolutiondate', 'Resolved', 'datetime', {}, ['resolutiondate', 'resolved']),
    system('statuscategorychangedate', 'Status Category Changed', 'datetime', {}, ['statusCategoryChangedDate']),
    system('labels', 'Labels', 'array', { items: 'string' }),
    system('parent', 'Parent', 'issuelink'),
    system('subtasks', 'Sub-tasks', 'array', { items: 'issuelinks' }, ['subtasks']),
    custom(rank, 'any', 'com.pyxis.greenhopper.jira:gh-lexo-rank'),
    custom(sprint, 'array', 'com.pyxis.greenhopper.jira:gh-sprint', 'json'),
    custom(estimate, 'number', 'com.pyxis.greenhopper.jira:jsw-story-points'),
    // Company-managed projects often still carry the older float field; the board does not use it.
    custom({ id: 'customfield_10028', name: 'Story Points' }, 'number', 'com.atlassian.jira.plugin.system.customfieldtypes:float'),
  ];
  return { fieldIds: { rank: rank.id, sprint: sprint.id, estimate: estimate.id }, fields };
}

interface SeedIssue {
  summary: string;
  type: keyof typeof ISSUE_TYPE_IDS;
  status: keyof typeof STATUS_IDS;
  assignee: PersonKey | null;
  estimate: number | null;
  priority: string;
  sprint: number | null;
  parent?: number;
  labels?: string[];
}

// In backlog order: the active sprint's items first, then the future sprint, then the Product Backlog.
const SEED: SeedIssue[] = [
  { summary: 'Sign in with email and password', type: 'story', status: 'inProgress', assignee: 'dev1', estimate: 5, priority: '2', sprint: 1, labels: ['auth'] },
  { summary: 'Hash passwords with Argon2', type: 'subtask', status: 'done', assignee: 'dev1', estimate: null, priority: '3', sprint: 1, parent: 1 },
  { summary: 'Sign-in form validation', type: 'subtask', status: 'inProgress', assignee: 'dev3', estimate: null, priority: '3', sprint: 1, parent: 1 },
  { summary: 'Show the order history', type: 'story', status: 'toDo', assignee: 'dev2', estimate: 3, priority: '3', sprint: 1 },
  { summary: 'Orders API pagination', type: 'subtask', status: 'toDo', assignee: 'dev2', estimate: null, priority: '3', sprint: 1, parent: 4 },
  { summary: 'Password reset link expires too early', type: 'bug', status: 'done', assignee: 'dev3', estimate: 2, priority: '2', sprint: 1, labels: ['auth'] },
  { summary: 'Remember me on this device', type: 'story', status: 'toDo', assignee: null, estimate: 2, priority: '3', sprint: 1, labels: ['auth'] },
  { summary: 'Reorder from a past order', type: 'story', status: 'toDo', assignee: null, estimate: 5, priority: '3', sprint: 2 },
  { summary: 'Order totals round wrongly in CHF', type: 'bug', status: 'toDo', assignee: null, estimate: 3, priority: '1', sprint: 2 },
  { summary: 'Two-factor authentication', type: 'story', status: 'toDo', assignee: null, estimate: 8, priority: '2', sprint: null, labels: ['auth'] },
  { summary: 'Choose a TOTP library', type: 'subtask', status: 'toDo', assignee: null, estimate: null, priority: '3', sprint: null, parent: 10 },
  { summary: 'Export orders as CSV', type: 'story', status: 'toDo', assignee: null, estimate: 3, priority: '3', sprint: null },
  { summary: 'Notify me when an order ships', type: 'story', status: 'toDo', assignee: null, estimate: 5, priority: '3', sprint: null },
  { summary: 'Upgrade the payment SDK', type: 'task', status: 'toDo', assignee: null, estimate: 3, priority: '2', sprint: null },
  { summary: 'Search ignores accents', type: 'bug', status: 'toDo', assignee: null, estimate: 3, priority: '3', sprint: null },
  { summary: 'Dark mode for the account pages', type: 'story', status: 'toDo', assignee: null, estimate: 8, priority: '4', sprint: null },
  { summary: 'Accessibility audit of checkout', type: 'story', status: 'toDo', assignee: null, estimate: 5, priority: '3', sprint: null },
  { summary: 'Avatar upload fails for PNG over 2 MB', type: 'bug', status: 'toDo', assignee: null, estimate: 2, priority: '4', sprint: null },
  { summary: 'Gift cards', type: 'story', status: 'toDo', assignee: null, estimate: null, priority: '3', sprint: null },
  { summary: 'Wish list', type: 'story', status: 'toDo', assignee: null, estimate: 13, priority: '5', sprint: null },
];

function paragraph(text: string): unknown {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

export function buildDemo(now: Date, overrides: FieldOverrides = {}): DemoData {
  const person = (key: PersonKey): Person => ({
    ...PEOPLE[key],
    accountType: key === 'app' ? 'app' : 'atlassian',
    timeZone: 'Europe/Zurich',
  });
  const people = (Object.keys(PEOPLE) as PersonKey[]).map(person);
  const id = (key: PersonKey): string => PEOPLE[key].accountId;
  const everyone = people.filter((p) => p.accountType === 'atlassian').map((p) => p.accountId);

  const groups: Group[] = [
    { groupId: GROUP_IDS.jiraAdmins, name: 'jira-admins', members: [id('admin')] },
    { groupId: GROUP_IDS.softwareUsers, name: 'jira-software-users', members: everyone },
    { groupId: GROUP_IDS.developers, name: 'demo-developers', members: [id('dev1'), id('dev2'), id('dev3')] },
    { groupId: GROUP_IDS.product, name: 'demo-product', members: [id('po')] },
    { groupId: GROUP_IDS.stakeholders, name: 'demo-stakeholders', members: [id('stakeholder')] },
  ];
  const roles: ProjectRole[] = [
    { id: ROLE_IDS.administrators, name: 'Administrators', actors: [{ kind: 'group', groupId: GROUP_IDS.jiraAdmins }, { kind: 'user', accountId: id('sm') }] },
    {
      id: ROLE_IDS.developers,
      name: 'Developers',
      actors: [{ kind: 'group', groupId: GROUP_IDS.developers }, { kind: 'group', groupId: GROUP_IDS.product }, { kind: 'user', accountId: id('sm') }],
    },
    { id: ROLE_IDS.users, name: 'Users', actors: [{ kind: 'group', groupId: GROUP_IDS.stakeholders }] },
  ];

  const issueTypes: IssueType[] = [
    { id: ISSUE_TYPE_IDS.epic, name: 'Epic', subtask: false, hierarchyLevel: 1, description: 'A big user story that needs to be broken down.' },
    { id: ISSUE_TYPE_IDS.story, name: 'Story', subtask: false, hierarchyLevel: 0, description: 'Functionality or a feature expressed as a user goal.' },
    { id: ISSUE_TYPE_IDS.bug, name: 'Bug', subtask: false, hierarchyLevel: 0, description: 'A problem or error.' },
    { id: ISSUE_TYPE_IDS.subtask, name: 'Subtask', subtask: true, hierarchyLevel: -1, description: 'A small piece of work that is part of a larger task.' },
    { id: ISSUE_TYPE_IDS.task, name: 'Task', subtask: false, hierarchyLevel: 0, description: 'A small, distinct piece of work.' },
  ];
  const statuses: Status[] = [
    { id: STATUS_IDS.toDo, name: 'To Do', category: 'new' },
    { id: STATUS_IDS.inProgress, name: 'In Progress', category: 'indeterminate' },
    { id: STATUS_IDS.done, name: 'Done', category: 'done' },
  ];
  // A simplified workflow: a global transition into every status, named after it.
  const transitions: Transition[] = [
    { id: '11', name: 'To Do', toStatusId: STATUS_IDS.toDo },
    { id: '21', name: 'In Progress', toStatusId: STATUS_IDS.inProgress },
    { id: '31', name: 'Done', toStatusId: STATUS_IDS.done },
  ];
  const priorities: Priority[] = [
    { id: '1', name: 'Highest', color: '#d04437' },
    { id: '2', name: 'High', color: '#f15C75' },
    { id: '3', name: 'Medium', color: '#f79232' },
    { id: '4', name: 'Low', color: '#707070' },
    { id: '5', name: 'Lowest', color: '#999999' },
  ];
  const { fieldIds, fields } = buildFields(overrides);

  const project: Project = { ...PROJECT, leadAccountId: id('po'), description: 'The demo Scrum project of the local Jira.' };
  const board: Board = {
    id: BOARD_ID,
    name: 'DEMO board',
    projectKey: PROJECT.key,
    filterId: 10000,
    columns: [
      { name: 'To Do', statusIds: [STATUS_IDS.toDo] },
      { name: 'In Progress', statusIds: [STATUS_IDS.inProgress] },
      { name: 'Done', statusIds: [STATUS_IDS.done] },
    ],
  };
  const sprints: Sprint[] = [
    {
      id: SPRINT_IDS.active,
      name: 'DEMO Sprint 1',
      state: 'active',
      goal: 'Customers can sign in and see their orders',
      startDate: jiraDateTime(addDays(now, -5)),
      endDate: jiraDateTime(addDays(now, 9)),
      completeDate: null,
      createdDate: jiraDateTime(addDays(now, -12)),
      originBoardId: BOARD_ID,
    },
    {
      id: SPRINT_IDS.future,
      name: 'DEMO Sprint 2',
      state: 'future',
      goal: '',
      startDate: null,
      endDate: null,
      completeDate: null,
      createdDate: jiraDateTime(addDays(now, -5)),
      originBoardId: BOARD_ID,
    },
  ];

  const ranks = initialRanks(SEED.length);
  const created = jiraDateTime(addDays(now, -14));
  const issues: Issue[] = SEED.map((seed, index) => {
    const n = index + 1;
    const statusId = STATUS_IDS[seed.status];
    return {
      id: String(10000 + n),
      key: `${PROJECT.key}-${n}`,
      projectKey: PROJECT.key,
      summary: seed.summary,
      description: paragraph(`${seed.summary}.`),
      typeId: ISSUE_TYPE_IDS[seed.type],
      statusId,
      priorityId: seed.priority,
      assignee: seed.assignee === null ? null : id(seed.assignee),
      reporter: id('po'),
      creator: id('po'),
      created,
      updated: created,
      statusCategoryChanged: created,
      resolutionDate: seed.status === 'done' ? jiraDateTime(addDays(now, -2)) : null,
      labels: seed.labels ?? [],
      estimate: seed.estimate,
      rank: ranks[index] as string,
      sprintIds: seed.sprint === null ? [] : [seed.sprint],
      parentKey: seed.parent === undefined ? null : `${PROJECT.key}-${seed.parent}`,
      changelog: [],
      properties: new Map(),
    };
  });

  // History: made by different people on different days, as an audit would find it.
  let changelogId = 10100;
  const byKey = new Map(issues.map((i) => [i.key, i]));
  const history = (key: string, who: PersonKey, daysAgo: number, items: ChangeItem[]): void => {
    const issue = byKey.get(key);
    if (!issue) throw new Error(`demo history names an unknown work item ${key}`);
    const when = jiraDateTime(addDays(now, -daysAgo));
    issue.changelog.push({ id: String(changelogId++), authorAccountId: id(who), created: when, items });
    issue.updated = when;
  };
  const rankItem = (toString: 'Ranked higher' | 'Ranked lower'): ChangeItem => ({
    field: fields.find((f) => f.id === fieldIds.rank)?.name ?? 'Rank', fieldtype: 'custom', fieldId: fieldIds.rank, from: '', fromString: '', to: '', toString,
  });
  const sprintItem = (to: Sprint): ChangeItem => ({
    field: fields.find((f) => f.id === fieldIds.sprint)?.name ?? 'Sprint', fieldtype: 'custom', fieldId: fieldIds.sprint, from: null, fromString: null, to: String(to.id), toString: to.name,
  });
  const statusItem = (from: Status, to: Status): ChangeItem => ({ field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name });
  const [toDo, inProgress, done] = statuses as [Status, Status, Status];
  const [active, future] = sprints as [Sprint, Sprint];
  const resolutionDone: ChangeItem = { field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: null, fromString: null, to: '10000', toString: 'Done' };
  const estimateName = fields.find((f) => f.id === fieldIds.estimate)?.name ?? 'Story point estimate';

  history('DEMO-10', 'stakeholder', 13, [rankItem('Ranked higher')]);
  history('DEMO-1', 'po', 12, [rankItem('Ranked higher')]);
  history('DEMO-1', 'po', 12, [{ field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: '3', fromString: 'Medium', to: '2', toString: 'High' }]);
  history('DEMO-10', 'sm', 11, [{ field: estimateName, fieldtype: 'custom', fieldId: fieldIds.estimate, from: null, fromString: '5', to: null, toString: '8' }]);
  for (const key of ['DEMO-1', 'DEMO-4', 'DEMO-6', 'DEMO-7']) history(key, 'po', 6, [sprintItem(active)]);
  history('DEMO-4', 'sm', 5, [{ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: null, fromString: null, to: id('dev2'), toString: PEOPLE.dev2.displayName }]);
  history('DEMO-1', 'dev1', 4, [statusItem(toDo, inProgress)]);
  history('DEMO-6', 'dev3', 4, [statusItem(toDo, inProgress)]);
  history('DEMO-6', 'dev3', 2, [statusItem(inProgress, done), resolutionDone]);
  history('DEMO-2', 'dev1', 2, [statusItem(toDo, done), resolutionDone]);
  history('DEMO-3', 'po', 3, [statusItem(toDo, inProgress)]);
  history('DEMO-7', 'stakeholder', 3, [rankItem('Ranked lower')]);
  for (const key of ['DEMO-8', 'DEMO-9']) history(key, 'po', 1, [sprintItem(future)]);

  // The sprints before the active one, and their work items, ranked after the seeded ones.
  const past = buildDemoPast({
    now,
    projectKey: PROJECT.key,
    accountId: (who) => id(who),
    displayName: (who) => PEOPLE[who].displayName,
    fieldIds,
    fieldName: (fieldId) => fields.find((f) => f.id === fieldId)?.name ?? fieldId,
    statuses: { toDo, inProgress, done },
    typeIds: ISSUE_TYPE_IDS,
    boardId: BOARD_ID,
    lastRank: ranks[SEED.length - 1] as string,
    firstNumber: SEED.length + 1,
    firstId: 10000 + SEED.length + 1,
    // Older than the seeded history, so their ids come before it, as Jira's grow with time.
    firstChangelogId: 10000,
  });
  if (past.nextChangelogId > 10100) throw new Error('the demo past needs more changelog ids than lie before the seeded history');
  const allIssues = [...issues, ...past.issues];

  return {
    people, groups, roles, project, issueTypes, statuses, transitions, priorities, fieldIds, fields, board,
    sprints: [...sprints, ...past.sprints],
    issues: allIssues,
    nextChangelogId: changelogId,
    nextIssueNumber: allIssues.length + 1,
    nextIssueId: 10000 + allIssues.length + 1,
  };
}

/** The role map of the demo in the app's config format (version 1), for the sandbox's defaults and tests. */
export function demoRoleConfig(fieldIds: AgileFieldIds): Record<string, unknown> {
  return {
    version: 1,
    roles: {
      productOwner: { users: [PEOPLE.po.accountId], groups: [], projectRoles: [] },
      scrumMaster: { users: [PEOPLE.sm.accountId], groups: [], projectRoles: [] },
      developers: { users: [], groups: [GROUP_IDS.developers], projectRoles: [] },
      stakeholders: { users: [], groups: [GROUP_IDS.stakeholders], projectRoles: [] },
    },
    fields: { rank: fieldIds.rank, estimate: fieldIds.estimate, sprint: fieldIds.sprint },
  };
}
