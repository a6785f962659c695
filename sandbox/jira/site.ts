/**
 * The local Jira: a small, stateful site with the DEMO Scrum project, answering REST requests the
 * way Jira Cloud does (permissions, error shapes, paging), emitting the Forge product events real
 * Jira would, and holding every request and answer to Atlassian's OpenAPI descriptions.
 */
import { z } from 'zod';
import { contractViolation, defaultContract, type ContractProblem, type JiraContractChecker, type MatchedOperation } from './contract';
import { buildDemo, type FieldOverrides } from './data';
import { addDays, jiraDateTime } from './dates';
import { ConnectionDropped, FaultInjector } from './faults';
import { isRecord, jiraError, JiraHttpError, type Answer } from './http';
import { rankBetween, ranksAfter } from './lexorank';
import type {
  AgileFieldIds, Board, ChangeItem, ChangelogEntry, FieldDefinition, Group, Issue, IssueType, Person, Priority, Project, ProjectRole, Sprint, Status, Transition,
} from './model';
import { permissionDefinitions, type PermissionDefinition } from './permissions';
import { adfText, issueTypeBean, projectRef, sprintBean, statusBean } from './render';
import { matchRoute } from './routes';
import { SiteActions, type ActAction, type ActResult } from './act';
import { EntityProperties } from '../forge/filter-expression';
import { buildTeam } from './team-data';

/** One project of the site, with what differs per project. */
export interface SiteProject {
  readonly project: Project;
  readonly board: Board;
  /** The field the project's board estimates with. */
  readonly estimateFieldId: string;
  readonly properties: Map<string, unknown>;
  nextIssueNumber(): number;
}

function counter(start: number): () => number {
  let next = start;
  return () => next++;
}

export type Actor = { kind: 'app' } | { kind: 'user'; accountId: string };

export interface JiraRequest {
  actor: Actor;
  method: string;
  /** Path with its query string, e.g. `/rest/api/3/issue/DEMO-1?fields=summary`. */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface JiraResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type EventListener = (eventType: string, payload: Record<string, unknown>, meta: { byApp: boolean }) => void;

export type TransitionValidator = (args: {
  issueKey: string;
  issueId: string;
  fromStatusId: string;
  toStatusId: string;
  transitionId: string;
  accountId: string;
}) => Promise<{ allowed: true } | { allowed: false; message: string }>;

/** Whether a transition is offered to someone (workflow conditions); false hides it. */
export type TransitionCondition = (args: { issueKey: string; transitionId: string; accountId: string }) => boolean;

export interface ContractViolationRecord {
  direction: 'request' | 'response';
  method: string;
  path: string;
  status?: number;
  problems: ContractProblem[];
}

export interface RequestRecord {
  method: string;
  path: string;
  actor: string;
  status: number;
}

export interface JiraSiteOptions {
  /** The site's clock (tests pass a fixed or stepping one); defaults to the real time. */
  clock?: () => Date;
  /** Rename or re-number the rank, sprint and estimate fields (see `LOCALISED_FIELDS`). */
  fields?: FieldOverrides;
  baseUrl?: string;
  /**
   * Adds TEAM, a team-managed Scrum project (team-data.ts), beside DEMO. Off by default, so that
   * everything that lists the site's work items sees DEMO's alone.
   */
  teamProject?: boolean;
  /** Throw a ContractViolation instead of answering 400 / recording, so a test fails at the call. */
  strict?: boolean;
  /** The contract checker; defaults to the project's own (sandbox/contract); `null` checks nothing. */
  contract?: JiraContractChecker | null;
}

const optionsSchema = z.object({
  clock: z.function().optional(),
  fields: z
    .object({
      rank: z.object({ id: z.string().regex(/^customfield_\d+$/, { error: 'expected customfield_<number>' }).optional(), name: z.string().min(1).optional() }).optional(),
      sprint: z.object({ id: z.string().regex(/^customfield_\d+$/, { error: 'expected customfield_<number>' }).optional(), name: z.string().min(1).optional() }).optional(),
      estimate: z.object({ id: z.string().regex(/^customfield_\d+$/, { error: 'expected customfield_<number>' }).optional(), name: z.string().min(1).optional() }).optional(),
    })
    .optional(),
  baseUrl: z.url({ error: 'expected an absolute URL' }).optional(),
  strict: z.boolean().optional(),
  contract: z.unknown().optional(),
  teamProject: z.boolean().optional(),
});

/** The answer of `site.issueState(key)`: what a person sees of one work item. */
export interface IssueState {
  key: string;
  id: string;
  summary: string;
  type: string;
  subtask: boolean;
  status: string;
  statusId: string;
  statusCategory: string;
  assignee: string | null;
  priority: string;
  estimate: number | null;
  labels: string[];
  parent: string | null;
  rank: string;
  /** The open (active or future) sprint the item is in, or null in the backlog. */
  sprint: { id: number; name: string; state: string } | null;
  /** Index in the global rank order (0 = top). */
  rankPosition: number;
  /** Index in the Product Backlog (items in no open sprint, not done, no sub-tasks), or null. */
  backlogPosition: number | null;
  updated: string;
  changelogCount: number;
  properties: string[];
}

export class JiraSite {
  /** Where the site is served; the sandbox sets it once its server listens, so avatar links resolve. */
  baseUrl: string;
  readonly clock: () => Date;
  readonly strict: boolean;
  readonly faults = new FaultInjector();
  readonly contractViolations: ContractViolationRecord[] = [];
  readonly requestLog: RequestRecord[] = [];
  /** Errors thrown by event listeners: recorded, never allowed to break the request that caused them. */
  readonly listenerErrors: { eventType: string; error: unknown }[] = [];

  readonly people: Person[];
  readonly groups: Group[];
  readonly roles: ProjectRole[];
  readonly project: Project;
  readonly issueTypes: IssueType[];
  readonly statuses: Status[];
  readonly transitions: Transition[];
  readonly priorities: Priority[];
  readonly fieldIds: AgileFieldIds;
  readonly fields: FieldDefinition[];
  readonly board: Board;
  readonly sprints: Sprint[];
  readonly issues: Issue[];
  /** The DEMO project's entity properties (the first of `projects`). */
  readonly projectProperties = new Map<string, unknown>();
  /** Every project of the site: DEMO (company-managed), then TEAM (team-managed) when asked for. */
  readonly projects: SiteProject[];
  readonly boards: Board[];
  readonly permissions: PermissionDefinition[];
  readonly appAccountId: string;

  private readonly contract: JiraContractChecker | null;
  private readonly listeners = new Set<EventListener>();
  private validator: TransitionValidator | null = null;
  private condition: TransitionCondition | null = null;
  private nextChangelogId: number;
  private nextIssueNumber: number;
  private nextIssueId: number;
  private nextSprintId: number;
  private readonly actions: SiteActions;
  private readonly fieldOverrides: FieldOverrides;

  constructor(options: JiraSiteOptions = {}) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new Error(`invalid JiraSite options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    this.clock = options.clock ?? (() => new Date());
    this.baseUrl = (options.baseUrl ?? 'https://demo.atlassian.net').replace(/\/$/, '');
    this.strict = options.strict ?? false;
    this.contract = options.contract === undefined ? defaultContract() : options.contract;
    this.fieldOverrides = options.fields ?? {};
    const demo = buildDemo(this.clock(), this.fieldOverrides);
    this.people = demo.people;
    this.groups = demo.groups;
    this.roles = demo.roles;
    this.project = demo.project;
    this.issueTypes = demo.issueTypes;
    this.statuses = demo.statuses;
    this.transitions = demo.transitions;
    this.priorities = demo.priorities;
    this.fieldIds = demo.fieldIds;
    this.fields = demo.fields;
    this.board = demo.board;
    this.sprints = demo.sprints;
    this.issues = demo.issues;
    this.nextChangelogId = demo.nextChangelogId;
    this.nextIssueNumber = demo.nextIssueNumber;
    this.nextIssueId = demo.nextIssueId;
    this.nextSprintId = Math.max(...demo.sprints.map((s) => s.id)) + 1;
    this.projects = [{ project: demo.project, board: demo.board, estimateFieldId: demo.fieldIds.estimate, properties: this.projectProperties, nextIssueNumber: () => this.nextIssueNumber++ }];
    if (options.teamProject === true) {
      // The team-managed project comes after DEMO in every list, so DEMO's data and ids stay as they were.
      const team = buildTeam(this.clock(), [...demo.issues].sort((a, b) => (a.rank < b.rank ? -1 : 1)).at(-1)?.rank ?? null);
      this.fields.push(team.estimateField);
      this.sprints.push(...team.sprints);
      this.issues.push(...team.issues);
      this.projects.push({ project: team.project, board: team.board, estimateFieldId: team.estimateField.id, properties: new Map(), nextIssueNumber: counter(team.issues.length + 1) });
    }
    this.boards = this.projects.map((p) => p.board);
    const app = demo.people.find((p) => p.accountType === 'app');
    if (!app) throw new Error('the demo data has no app account');
    this.appAccountId = app.accountId;
    this.permissions = permissionDefinitions(demo.groups.find((g) => g.name === 'jira-admins')?.groupId ?? '');
    this.actions = new SiteActions(this);
  }

  /**
   * Puts the demo back as it was built: the work items with their history, order and properties,
   * the sprints, the project's properties. People, groups and roles do not change through the API.
   * Listeners and the transition validator stay: the app is still installed.
   */
  reset(): void {
    const demo = buildDemo(this.clock(), this.fieldOverrides);
    this.issues.splice(0, this.issues.length, ...demo.issues);
    this.sprints.splice(0, this.sprints.length, ...demo.sprints);
    this.projectProperties.clear();
    this.nextChangelogId = demo.nextChangelogId;
    this.nextIssueNumber = demo.nextIssueNumber;
    this.nextIssueId = demo.nextIssueId;
    this.nextSprintId = Math.max(...demo.sprints.map((s) => s.id)) + 1;
  }

  // -------------------------------------------------------------------------------------------
  // Look-ups

  person(accountId: string): Person | undefined {
    return this.people.find((p) => p.accountId === accountId);
  }

  /** A person by account id, handle, display name or first name (case-insensitive). */
  findPerson(nameOrAccountId: string): Person | undefined {
    const needle = nameOrAccountId.trim().toLowerCase();
    return (
      this.people.find((p) => p.accountId === nameOrAccountId) ??
      this.people.find((p) => p.handle === needle || p.displayName.toLowerCase() === needle) ??
      this.people.find((p) => p.displayName.toLowerCase().split(' ')[0] === needle)
    );
  }

  /** A project by key or id. */
  projectOf(keyOrId: string): SiteProject | undefined {
    const upper = keyOrId.toUpperCase();
    return this.projects.find((p) => p.project.key === upper || p.project.id === keyOrId);
  }

  boardById(id: number): Board | undefined {
    return this.boards.find((b) => b.id === id);
  }

  /** Team-managed projects' workflows take no app validators or conditions. */
  isTeamManaged(projectKey: string): boolean {
    return this.projectOf(projectKey)?.project.style === 'next-gen';
  }

  /** The estimate field of a project: the site's for DEMO, the project's own in a team-managed one. */
  estimateFieldOf(projectKey: string): string {
    return this.projectOf(projectKey)?.estimateFieldId ?? this.fieldIds.estimate;
  }

  findIssue(keyOrId: string): Issue | undefined {
    const upper = keyOrId.toUpperCase();
    return this.issues.find((i) => i.key === upper || i.id === keyOrId);
  }

  sprint(id: number): Sprint | undefined {
    return this.sprints.find((s) => s.id === id);
  }

  status(id: string): Status {
    const status = this.statuses.find((s) => s.id === id);
    if (!status) throw new Error(`unknown status ${id}`);
    return status;
  }

  priority(id: string): Priority {
    const priority = this.priorities.find((p) => p.id === id);
    if (!priority) throw new Error(`unknown priority ${id}`);
    return priority;
  }

  issueType(id: string): IssueType {
    const type = this.issueTypes.find((t) => t.id === id);
    if (!type) throw new Error(`unknown issue type ${id}`);
    return type;
  }

  field(id: string): FieldDefinition | undefined {
    return this.fields.find((f) => f.id === id);
  }

  /** A field id from an id, a name, or a JQL clause name such as `cf[10019]`. */
  fieldIdFor(nameOrId: string): string {
    const lower = nameOrId.toLowerCase();
    const found =
      this.fields.find((f) => f.id.toLowerCase() === lower) ??
      this.fields.find((f) => f.name.toLowerCase() === lower || f.clauseNames.some((c) => c.toLowerCase() === lower));
    return found?.id ?? nameOrId;
  }

  subtasksOf(issue: Issue): Issue[] {
    return this.issues.filter((i) => i.parentKey === issue.key);
  }

  isSubtask(issue: Issue): boolean {
    return this.issueType(issue.typeId).subtask;
  }

  /** The open (active or future) sprint an item is in, if any. */
  openSprintOf(issue: Issue): Sprint | undefined {
    return issue.sprintIds.map((id) => this.sprint(id)).find((s): s is Sprint => s !== undefined && s.state !== 'closed');
  }

  // -------------------------------------------------------------------------------------------
  // Directory and permissions

  groupsOf(accountId: string): Group[] {
    return this.groups.filter((g) => g.members.includes(accountId));
  }

  projectRoleIdsOf(accountId: string): number[] {
    const groupIds = new Set(this.groupsOf(accountId).map((g) => g.groupId));
    return this.roles
      .filter((r) => r.actors.some((a) => (a.kind === 'user' ? a.accountId === accountId : groupIds.has(a.groupId))))
      .map((r) => r.id);
  }

  /** Whether the account holds a permission (in the project, for project permissions). The app holds all. */
  hasPermission(accountId: string, key: string): boolean {
    if (accountId === this.appAccountId) return true;
    const definition = this.permissions.find((p) => p.key === key);
    if (!definition) return false;
    if (definition.type === 'GLOBAL') {
      const groups = new Set(this.groupsOf(accountId).map((g) => g.groupId));
      return (definition.groupIds ?? []).some((g) => g === '*' ? this.person(accountId)?.accountType === 'atlassian' : groups.has(g));
    }
    // Jira admins may administer every project.
    if (key === 'ADMINISTER_PROJECTS' && this.hasPermission(accountId, 'ADMINISTER')) return true;
    const roles = this.projectRoleIdsOf(accountId);
    return (definition.roleIds ?? []).some((r) => roles.includes(r));
  }

  canBrowse(accountId: string): boolean {
    return this.hasPermission(accountId, 'BROWSE_PROJECTS');
  }

  // -------------------------------------------------------------------------------------------
  // Order

  /** Every work item, in the global rank order (rank is one order across all boards). */
  rankOrder(): Issue[] {
    return [...this.issues].sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  }

  isInProductBacklog(issue: Issue): boolean {
    return !this.isSubtask(issue) && this.openSprintOf(issue) === undefined && this.status(issue.statusId).category !== 'done';
  }

  /** A project's Product Backlog keys (DEMO's unless named), top first: items in no open sprint, not done, without sub-tasks. */
  backlogOrder(projectKey: string = this.project.key): string[] {
    return this.rankOrder().filter((i) => i.projectKey === projectKey && this.isInProductBacklog(i)).map((i) => i.key);
  }

  /** A project's board (DEMO's unless named) as a person sees it: each open sprint's items in rank order, then the backlog. */
  boardView(projectKey: string = this.project.key): { sprints: { id: number; name: string; state: string; goal: string; keys: string[] }[]; backlog: string[] } {
    const board = this.projectOf(projectKey)?.board ?? this.board;
    const order = this.rankOrder().filter((i) => i.projectKey === board.projectKey && !this.isSubtask(i));
    return {
      sprints: this.sprints
        .filter((s) => s.state !== 'closed' && s.originBoardId === board.id)
        .sort((a, b) => (a.state === b.state ? a.id - b.id : a.state === 'active' ? -1 : 1))
        .map((s) => ({ id: s.id, name: s.name, state: s.state, goal: s.goal, keys: order.filter((i) => this.openSprintOf(i)?.id === s.id).map((i) => i.key) })),
      backlog: this.backlogOrder(board.projectKey),
    };
  }

  issueState(key: string): IssueState {
    const issue = this.findIssue(key);
    if (!issue) throw new Error(`no work item ${key}`);
    const status = this.status(issue.statusId);
    const open = this.openSprintOf(issue);
    const backlogIndex = this.backlogOrder(issue.projectKey).indexOf(issue.key);
    return {
      key: issue.key,
      id: issue.id,
      summary: issue.summary,
      type: this.issueType(issue.typeId).name,
      subtask: this.isSubtask(issue),
      status: status.name,
      statusId: status.id,
      statusCategory: status.category,
      assignee: issue.assignee,
      priority: this.priority(issue.priorityId).name,
      estimate: issue.estimate,
      labels: [...issue.labels],
      parent: issue.parentKey,
      rank: issue.rank,
      sprint: open ? { id: open.id, name: open.name, state: open.state } : null,
      rankPosition: this.rankOrder().indexOf(issue),
      backlogPosition: backlogIndex < 0 ? null : backlogIndex,
      updated: issue.updated,
      changelogCount: issue.changelog.length,
      properties: [...issue.properties.keys()],
    };
  }

  /** The demo people with their groups and project roles (the app's own account last). */
  users(): { name: string; handle: string; accountId: string; accountType: string; demoRole: string; groups: string[]; projectRoles: string[] }[] {
    return this.people.map((p) => ({
      name: p.displayName,
      handle: p.handle,
      accountId: p.accountId,
      accountType: p.accountType,
      demoRole: p.demoRole,
      groups: this.groupsOf(p.accountId).map((g) => g.name),
      projectRoles: this.projectRoleIdsOf(p.accountId).map((id) => this.roles.find((r) => r.id === id)?.name ?? String(id)),
    }));
  }

  // -------------------------------------------------------------------------------------------
  // Events and validators

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setTransitionValidator(validator: TransitionValidator | null): void {
    this.validator = validator;
  }

  get transitionValidator(): TransitionValidator | null {
    return this.validator;
  }

  setTransitionCondition(condition: TransitionCondition | null): void {
    this.condition = condition;
  }

  get transitionCondition(): TransitionCondition | null {
    return this.condition;
  }

  /**
   * The context variables Jira evaluates a workflow rule's expression with: `user` (the person
   * transitioning: accountId, displayName, groups by name, getProjectRoles(project)), `issue` and
   * `project` (with its entity properties).
   */
  expressionContext(issueKeyOrId: string, accountId: string): Record<string, unknown> {
    const issue = this.findIssue(issueKeyOrId);
    if (!issue) throw new Error(`no work item ${issueKeyOrId}`);
    const person = this.person(accountId);
    const own = this.projectOf(issue.projectKey) ?? this.projects[0]!;
    const project = { id: Number(own.project.id), key: own.project.key, name: own.project.name, properties: new EntityProperties(own.properties) };
    const user = {
      accountId,
      displayName: person?.displayName ?? null,
      groups: this.groupsOf(accountId).map((g) => g.name),
      getProjectRoles: (of: unknown) => {
        const key = typeof of === 'object' && of !== null ? (of as { key?: unknown }).key : undefined;
        if (typeof key !== 'string' || !this.projectOf(key)) return [];
        return this.projectRoleIdsOf(accountId).map((id) => ({ id, name: this.roles.find((r) => r.id === id)?.name ?? String(id) }));
      },
    };
    return { user, issue: { id: Number(issue.id), key: issue.key, properties: new EntityProperties(issue.properties) }, project };
  }

  emit(eventType: string, payload: Record<string, unknown>, actorAccountId: string): void {
    const meta = { byApp: actorAccountId === this.appAccountId };
    for (const listener of [...this.listeners]) {
      try {
        listener(eventType, payload, meta);
      } catch (error) {
        this.listenerErrors.push({ eventType, error });
      }
    }
  }

  now(): string {
    return jiraDateTime(this.clock());
  }

  /** The work item as Forge issue events carry it. */
  eventIssue(issue: Issue): Record<string, unknown> {
    return {
      id: issue.id,
      key: issue.key,
      fields: {
        summary: issue.summary,
        issuetype: issueTypeBean(this, this.issueType(issue.typeId)),
        project: projectRef(this, issue.projectKey),
        status: statusBean(this, this.status(issue.statusId)),
        assignee: issue.assignee === null ? null : { accountId: issue.assignee },
        reporter: { accountId: issue.reporter },
        creator: { accountId: issue.creator },
        created: issue.created,
        updated: issue.updated,
      },
    };
  }

  /** Records one changelog (several items when several fields changed) and emits its event. */
  commitChange(issue: Issue, actorAccountId: string, items: ChangeItem[]): ChangelogEntry | null {
    if (items.length === 0) return null;
    const entry: ChangelogEntry = { id: String(this.nextChangelogId++), authorAccountId: actorAccountId, created: this.now(), items };
    issue.changelog.push(entry);
    issue.updated = entry.created;
    this.emit(
      'avi:jira:updated:issue',
      {
        eventType: 'avi:jira:updated:issue',
        issue: this.eventIssue(issue),
        atlassianId: actorAccountId,
        associatedUsers: [{ accountId: actorAccountId }],
        changelog: { id: entry.id, items: items.map((i) => ({ ...i })) },
      },
      actorAccountId,
    );
    return entry;
  }

  /**
   * A sprint event as Forge delivers it. An update carries `oldValue`: the sprint's values from before
   * the change, holding only the fields that changed (Forge's Jira Software events reference).
   */
  emitSprintEvent(kind: 'started' | 'closed' | 'updated', sprint: Sprint, actorAccountId: string, oldValue?: Record<string, unknown>): void {
    const eventType = `avi:jira-software:${kind}:sprint`;
    const payload = { eventType, sprint: sprintBean(this, sprint), atlassianId: actorAccountId, ...(kind === 'updated' && oldValue ? { oldValue } : {}) };
    this.emit(eventType, payload, actorAccountId);
  }

  // -------------------------------------------------------------------------------------------
  // Changes (the REST handlers check permissions and input; these apply and record)

  rankItem(toString: 'Ranked higher' | 'Ranked lower'): ChangeItem {
    return { field: this.field(this.fieldIds.rank)?.name ?? 'Rank', fieldtype: 'custom', fieldId: this.fieldIds.rank, from: '', fromString: '', to: '', toString };
  }

  sprintItem(before: number[], after: number[]): ChangeItem | null {
    if (before.length === after.length && before.every((id, i) => after[i] === id)) return null;
    const ids = (list: number[]): string | null => (list.length === 0 ? null : list.join(', '));
    const names = (list: number[]): string | null => (list.length === 0 ? null : list.map((id) => this.sprint(id)?.name ?? String(id)).join(', '));
    return { field: this.field(this.fieldIds.sprint)?.name ?? 'Sprint', fieldtype: 'custom', fieldId: this.fieldIds.sprint, from: ids(before), fromString: names(before), to: ids(after), toString: names(after) };
  }

  /**
   * Moves items before or after an anchor in the global order, keeping their listed order. Each
   * item that really moved gets its own changelog ("Ranked higher" / "Ranked lower").
   */
  rank(items: Issue[], anchor: { before: Issue } | { after: Issue }, actorAccountId: string): void {
    const moving = new Set(items);
    const others = this.rankOrder().filter((i) => !moving.has(i));
    const anchorIssue = 'before' in anchor ? anchor.before : anchor.after;
    const at = others.indexOf(anchorIssue);
    const low = 'before' in anchor ? (others[at - 1]?.rank ?? null) : anchorIssue.rank;
    const high = 'before' in anchor ? anchorIssue.rank : (others[at + 1]?.rank ?? null);
    const oldRanks = new Map(items.map((i) => [i, i.rank]));
    let previous = low;
    for (const issue of items) {
      issue.rank = rankBetween(previous, high);
      previous = issue.rank;
    }
    const oldRankOf = (i: Issue): string => oldRanks.get(i) ?? i.rank;
    for (const issue of items) {
      const oldRank = oldRankOf(issue);
      // Its position among everything else, before and after: the same means it did not really move.
      const oldIndex = this.issues.filter((i) => i !== issue && oldRankOf(i) < oldRank).length;
      const newIndex = this.issues.filter((i) => i !== issue && i.rank < issue.rank).length;
      // Not moved relative to anything: Jira writes no history for that (the value may still change).
      if (newIndex === oldIndex) continue;
      this.commitChange(issue, actorAccountId, [this.rankItem(newIndex < oldIndex ? 'Ranked higher' : 'Ranked lower')]);
    }
  }

  /** Puts an item (with its sub-tasks) into a sprint, or into the backlog when `sprint` is null. */
  setSprint(issue: Issue, sprint: Sprint | null, actorAccountId: string, extraItems: ChangeItem[] = []): void {
    const targets = [issue, ...this.subtasksOf(issue)];
    for (const target of targets) {
      const before = [...target.sprintIds];
      const kept = before.filter((id) => this.sprint(id)?.state === 'closed');
      const after = sprint === null ? kept : [...kept.filter((id) => id !== sprint.id), sprint.id];
      const item = this.sprintItem(before, after);
      target.sprintIds = after;
      this.commitChange(target, actorAccountId, [...(item ? [item] : []), ...(target === issue ? extraItems : [])]);
    }
  }

  newIssue(args: {
    summary: string;
    type: IssueType;
    reporter: string;
    assignee: string | null;
    priorityId: string;
    description: unknown;
    labels: string[];
    estimate: number | null;
    parent: Issue | null;
    projectKey?: string;
  }): Issue {
    const created = this.now();
    const last = this.rankOrder().at(-1);
    const project = this.projectOf(args.projectKey ?? this.project.key) ?? this.projects[0]!;
    const issue: Issue = {
      id: String(this.nextIssueId++),
      key: `${project.project.key}-${project.nextIssueNumber()}`,
      projectKey: project.project.key,
      summary: args.summary,
      description: args.description,
      typeId: args.type.id,
      statusId: this.statuses[0]?.id ?? '10000',
      priorityId: args.priorityId,
      assignee: args.assignee,
      reporter: args.reporter,
      creator: args.reporter,
      created,
      updated: created,
      statusCategoryChanged: created,
      resolutionDate: null,
      labels: args.labels,
      estimate: args.estimate,
      // Jira ranks a new item last.
      rank: rankBetween(last?.rank ?? null, null),
      // A sub-task lives in its parent's sprint.
      sprintIds: args.parent ? [...args.parent.sprintIds] : [],
      parentKey: args.parent?.key ?? null,
      changelog: [],
      properties: new Map(),
    };
    this.issues.push(issue);
    this.emit(
      'avi:jira:created:issue',
      { eventType: 'avi:jira:created:issue', issue: this.eventIssue(issue), atlassianId: args.reporter, associatedUsers: [{ accountId: args.reporter }] },
      args.reporter,
    );
    return issue;
  }

  /**
   * Adds `count` Product Backlog items ranked last, as if they had been there all along: no events, no
   * history (the demo data's way), for tests that need a large backlog without creating it item by item.
   */
  addBacklogItems(count: number, summary = (n: number) => `Backlog item ${n}`): Issue[] {
    const story = this.issueTypes.find((t) => t.name === 'Story') ?? this.issueTypes.find((t) => !t.subtask);
    if (!story) throw new Error('the site has no work item type for backlog items');
    const added: Issue[] = [];
    const ranks = ranksAfter(this.rankOrder().at(-1)?.rank ?? null, count);
    for (let i = 0; i < count; i++) {
      const created = this.now();
      const rank = ranks[i]!;
      const issue: Issue = {
        id: String(this.nextIssueId++),
        key: `${this.project.key}-${this.nextIssueNumber++}`,
        projectKey: this.project.key,
        summary: summary(i + 1),
        description: null,
        typeId: story.id,
        statusId: this.statuses[0]?.id ?? '10000',
        priorityId: '3',
        assignee: null,
        reporter: this.project.leadAccountId,
        creator: this.project.leadAccountId,
        created,
        updated: created,
        statusCategoryChanged: created,
        resolutionDate: null,
        labels: [],
        estimate: null,
        rank,
        sprintIds: [],
        parentKey: null,
        changelog: [],
        properties: new Map(),
      };
      this.issues.push(issue);
      added.push(issue);
    }
    return added;
  }

  newSprintId(): number {
    return this.nextSprintId++;
  }

  describeForChangelog(value: unknown): string | null {
    return adfText(value);
  }

  defaultSprintEnd(): string {
    return jiraDateTime(addDays(this.clock(), 14));
  }

  // -------------------------------------------------------------------------------------------
  // The REST handler: the `productFetch` of the local Forge host.

  async handle(req: JiraRequest): Promise<JiraResponse> {
    const method = req.method.toUpperCase();
    const url = new URL(req.path, this.baseUrl);
    const pathWithQuery = `${url.pathname}${url.search}`;
    const actorId = req.actor.kind === 'app' ? this.appAccountId : req.actor.accountId;
    const answer = await this.answer(method, url, pathWithQuery, actorId, req);
    this.requestLog.push({ method, path: pathWithQuery, actor: actorId, status: answer.status });
    return answer;
  }

  private async answer(method: string, url: URL, pathWithQuery: string, actorId: string, req: JiraRequest): Promise<JiraResponse> {
    let body: unknown;
    if (req.body !== undefined && req.body !== '') {
      try {
        body = JSON.parse(req.body);
      } catch (error) {
        return respond({ status: 400, body: { errorMessages: [`Unexpected character in the request body: ${error instanceof Error ? error.message : String(error)}`], errors: {} } });
      }
    }

    let operation: MatchedOperation | null = null;
    if (this.contract) {
      const checked = this.contract.checkRequest({ method, path: pathWithQuery, ...(body === undefined ? {} : { body }) });
      operation = checked.operation;
      if (checked.problems.length > 0 || operation === null) {
        const problems = checked.problems.length > 0 ? checked.problems : [{ where: `${method} ${url.pathname}`, message: 'no such operation in the description' }];
        this.contractViolations.push({ direction: 'request', method, path: pathWithQuery, problems });
        if (this.strict) throw contractViolation(problems, operation?.operationId, `${method} ${pathWithQuery}`);
        return respond({ status: 400, body: { errorMessages: problems.map((p) => `${p.where}: ${p.message}`), errors: {} } });
      }
    }

    const fault = this.faults.take(method, pathWithQuery, actorId);
    if (fault) {
      if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.status === 'drop') throw new ConnectionDropped(method, pathWithQuery);
      return { status: fault.status, headers: fault.headers, body: fault.body };
    }

    let result: Answer;
    const actor = this.person(actorId);
    if (!actor) {
      result = { status: 401, body: { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} } };
    } else {
      const route = matchRoute(method, url.pathname);
      try {
        if (!route) throw jiraError(404, `No route matches ${method} ${url.pathname} on this site.`);
        result = await route.handler({ site: this, actor, method, path: url.pathname, query: url.searchParams, params: route.params, body });
      } catch (error) {
        if (!(error instanceof JiraHttpError)) throw error;
        result = { status: error.status, body: error.body };
      }
    }

    if (this.contract && operation) {
      const problems = this.contract.checkResponse(operation, result.status, result.body ?? null);
      if (problems.length > 0) {
        this.contractViolations.push({ direction: 'response', method, path: pathWithQuery, status: result.status, problems });
        if (this.strict) throw contractViolation(problems, operation.operationId, `the local Jira's answer ${result.status} to ${method} ${pathWithQuery}`);
      }
    }
    return respond(result);
  }

  // -------------------------------------------------------------------------------------------
  // Acting as people

  act(asNameOrAccountId: string, action: ActAction): Promise<ActResult> {
    return this.actions.act(asNameOrAccountId, action);
  }
}

function respond(answer: Answer): JiraResponse {
  const headers: Record<string, string> = { ...(answer.headers ?? {}) };
  if (answer.body === undefined || answer.status === 204) return { status: answer.status, headers, body: '' };
  headers['content-type'] = 'application/json;charset=UTF-8';
  return { status: answer.status, headers, body: JSON.stringify(answer.body) };
}

export { isRecord };
