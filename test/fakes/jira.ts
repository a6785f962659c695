/**
 * Jira in memory, as the app's ports see it: the enforcement port (JiraPort) over a few work items with
 * ranks, sprints, values and histories, and the screens' reads (JiraReads) over people, groups, roles
 * and history. A person's change made through `userChanges` writes a changelog entry as Jira does, and
 * `event` builds the Forge payload that change would bring. Any method can be made to fail (a busy Jira,
 * a refusal). test/fakes/contract.test.ts holds both to the real adapters on the local Jira.
 */
import {
  JiraUnavailableError,
  PERMISSION_KEYS,
  type AgileSprint,
  type Caller,
  type ChangeHistory,
  type IssueSnapshot,
  type JiraPort,
  type JiraReads,
  type PermissionKey,
  type PersonInfo,
  type RankAnchor,
  type RoleActors,
  type SearchedIssue,
} from '../../src/app/ports';
import type { FieldIds, SprintRef } from '../../src/core/events';

export const FAKE_FIELDS = { rank: 'customfield_10019', estimate: 'customfield_10016', sprint: 'customfield_10020' } as const;
export const APP_ACCOUNT = '557058:fake-app-account';

export interface FakeItem {
  id: string;
  key: string;
  project: string;
  subtask: boolean;
  statusId: string;
  rank: string;
  sprints: SprintRef[];
  estimate: number | null;
  priorityId: string | null;
  assigneeId: string | null;
  history: { id: string; author: string; fieldIds: string[] }[];
  properties: Record<string, unknown>;
}

type ItemChange = { field: 'rank'; anchor: RankAnchor } | { field: 'priority'; to: string } | { field: 'assignee'; to: string | null } | { field: 'estimate'; to: number | null } | { field: 'sprint'; add: SprintRef };

/** Fixed-width rank values with room between them, compared as text as Jira's LexoRank values are. */
const rankText = (n: number): string => `0|${String(n).padStart(12, '0')}:`;
const rankNumber = (rank: string): number => Number(rank.slice(2, -1));

/** Failures a test asks for: the next `times` calls of a method throw. */
class Failures {
  private readonly queued = new Map<string, { error: () => Error; times: number }>();
  readonly calls: { method: string; args: unknown[] }[] = [];

  fail(method: string, times = 1, error: () => Error = () => new JiraUnavailableError(503, method, 1)): void {
    this.queued.set(method, { error, times });
  }

  enter(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.queued.get(method);
    if (failure === undefined || failure.times <= 0) return;
    failure.times--;
    throw failure.error();
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }
}

export class FakeJira extends Failures implements JiraPort {
  readonly items = new Map<string, FakeItem>();
  readonly boards = new Map<string, string>([['1', 'DEMO']]);
  readonly groups = new Map<string, string[]>();
  readonly groupNamesById = new Map<string, string>();
  readonly roleActors = new Map<string, RoleActors>();
  readonly projectProperties = new Map<string, unknown>();
  readonly styles = new Map<string, 'company-managed' | 'team-managed'>([['DEMO', 'company-managed']]);
  fields: FieldIds = { ...FAKE_FIELDS };
  private nextChangelog = 10_500;
  private nextId = 10_001;

  /** `count` more work items (DEMO-1.. at first), last in the order; `activeSprint` numbers the ones in the running sprint. */
  seed(project: string, count: number, activeSprint: readonly number[] = []): void {
    const known = this.order(project).length;
    for (let n = known + 1; n <= known + count; n++) {
      const key = `${project}-${n}`;
      const id = String(this.nextId++);
      this.items.set(key, {
        id,
        key,
        project,
        subtask: false,
        statusId: '10000',
        rank: rankText(n * 1_000_000),
        sprints: activeSprint.includes(n) ? [{ id: '1', state: 'active' }] : [],
        estimate: 3,
        priorityId: '3',
        assigneeId: null,
        history: [],
        properties: {},
      });
    }
  }

  item(keyOrId: string): FakeItem | undefined {
    return this.items.get(keyOrId) ?? [...this.items.values()].find((i) => i.id === keyOrId);
  }

  /** The project's work items in rank order. */
  order(project = 'DEMO'): string[] {
    return [...this.items.values()].filter((i) => i.project === project).sort((a, b) => (a.rank < b.rank ? -1 : 1)).map((i) => i.key);
  }

  private place(item: FakeItem, anchor: RankAnchor): void {
    const order = this.order(item.project).filter((k) => k !== item.key);
    const at = order.indexOf('before' in anchor ? anchor.before : anchor.after);
    const [low, high] = 'before' in anchor ? [order[at - 1], order[at]] : [order[at], order[at + 1]];
    const lowN = low === undefined ? 0 : rankNumber(this.items.get(low)!.rank);
    const highN = high === undefined ? lowN + 2_000_000 : rankNumber(this.items.get(high)!.rank);
    item.rank = rankText(Math.floor((lowN + highN) / 2));
  }

  /** Applies a change as `author` and writes its changelog entry; answers the entry's id. */
  private apply(item: FakeItem, change: ItemChange, author: string): string {
    const fieldId = { rank: FAKE_FIELDS.rank, priority: 'priority', assignee: 'assignee', estimate: FAKE_FIELDS.estimate, sprint: FAKE_FIELDS.sprint }[change.field];
    switch (change.field) {
      case 'rank':
        this.place(item, change.anchor);
        break;
      case 'priority':
        item.priorityId = change.to;
        break;
      case 'assignee':
        item.assigneeId = change.to;
        break;
      case 'estimate':
        item.estimate = change.to;
        break;
      case 'sprint':
        item.sprints = [...item.sprints, change.add];
        break;
    }
    const id = String(this.nextChangelog++);
    item.history.push({ id, author, fieldIds: [fieldId] });
    return id;
  }

  /** A person changes a work item in Jira (not through the app); answers the changelog id. */
  userChanges(actor: string, key: string, change: ItemChange): string {
    return this.apply(this.items.get(key)!, change, actor);
  }

  // -------------------------------------------------------------------------------------------
  // JiraPort

  async readIssue(issueKeyOrId: string, fields: FieldIds, options: { readonly changelog: boolean }): Promise<IssueSnapshot | null> {
    this.enter('readIssue', [issueKeyOrId, fields, options]);
    const item = this.item(issueKeyOrId);
    if (!item) return null;
    return {
      id: item.id,
      key: item.key,
      projectKey: item.project,
      projectId: '10000',
      subtask: item.subtask,
      statusId: item.statusId,
      rank: fields.rank === undefined ? null : item.rank,
      sprints: fields.sprint === undefined ? null : item.sprints.map((s) => ({ ...s })),
      estimate: item.estimate,
      priorityId: item.priorityId,
      assigneeId: item.assigneeId,
      changelog: options.changelog ? item.history.map((h) => ({ id: h.id, fieldIds: [...h.fieldIds], authorId: h.author })) : null,
      summaryProperty: item.properties['scrum-role-guard-summary'],
    };
  }

  async agileSprints(issueKeyOrId: string): Promise<SprintRef[] | null> {
    this.enter('agileSprints', [issueKeyOrId]);
    const item = this.item(issueKeyOrId);
    return item ? item.sprints.map((s) => ({ ...s })) : null;
  }

  async discoverFields(projectKey: string): Promise<FieldIds> {
    this.enter('discoverFields', [projectKey]);
    return { ...this.fields };
  }

  async groupsOf(accountId: string): Promise<string[]> {
    this.enter('groupsOf', [accountId]);
    return [...(this.groups.get(accountId) ?? [])];
  }

  async projectRoleActors(projectKey: string, roleId: string): Promise<RoleActors> {
    this.enter('projectRoleActors', [projectKey, roleId]);
    return this.roleActors.get(`${projectKey}/${roleId}`) ?? { users: [], groups: [] };
  }

  async boardProjectKey(boardId: string): Promise<string | null> {
    this.enter('boardProjectKey', [boardId]);
    return this.boards.get(boardId) ?? null;
  }

  async currentRanks(issueKeys: readonly string[], rankFieldId: string): Promise<Map<string, { id: string; rank: string | null }>> {
    this.enter('currentRanks', [issueKeys, rankFieldId]);
    const found = new Map<string, { id: string; rank: string | null }>();
    for (const key of issueKeys) {
      const item = this.items.get(key);
      if (item) found.set(key, { id: item.id, rank: item.rank });
    }
    return found;
  }

  async rankOrder(projectKey: string, rankFieldId: string): Promise<{ id: string; key: string; rank: string }[]> {
    this.enter('rankOrder', [projectKey, rankFieldId]);
    return this.order(projectKey).map((key) => {
      const item = this.items.get(key)!;
      return { id: item.id, key, rank: item.rank };
    });
  }

  async rank(issueKey: string, anchor: RankAnchor, rankFieldId: string | undefined): Promise<void> {
    this.enter('rank', [issueKey, anchor, rankFieldId]);
    this.apply(this.items.get(issueKey)!, { field: 'rank', anchor }, APP_ACCOUNT);
  }

  async editFields(issueKey: string, fields: Readonly<Record<string, unknown>>): Promise<void> {
    this.enter('editFields', [issueKey, fields]);
    const item = this.items.get(issueKey)!;
    for (const [field, value] of Object.entries(fields)) {
      if (field === 'priority') this.apply(item, { field: 'priority', to: (value as { id: string }).id }, APP_ACCOUNT);
      else if (field === 'assignee') this.apply(item, { field: 'assignee', to: (value as { accountId: string } | null)?.accountId ?? null }, APP_ACCOUNT);
      else if (field === this.fields.estimate) this.apply(item, { field: 'estimate', to: value as number | null }, APP_ACCOUNT);
      else throw new Error(`the fake does not edit ${field}`);
    }
  }

  async moveToBacklog(issueKeys: readonly string[]): Promise<void> {
    this.enter('moveToBacklog', [issueKeys]);
    for (const key of issueKeys) {
      const item = this.items.get(key)!;
      item.sprints = item.sprints.filter((s) => s.state !== 'active');
      item.history.push({ id: String(this.nextChangelog++), author: APP_ACCOUNT, fieldIds: [FAKE_FIELDS.sprint] });
    }
  }

  async setIssueProperty(issueKey: string, propertyKey: string, value: unknown): Promise<void> {
    this.enter('setIssueProperty', [issueKey, propertyKey, value]);
    this.items.get(issueKey)!.properties[propertyKey] = JSON.parse(JSON.stringify(value)) as unknown;
  }

  async appAccountId(): Promise<string> {
    this.enter('appAccountId', []);
    return APP_ACCOUNT;
  }

  async projectProperty(projectKey: string, propertyKey: string): Promise<unknown> {
    this.enter('projectProperty', [projectKey, propertyKey]);
    return this.projectProperties.get(`${projectKey}/${propertyKey}`);
  }

  async setProjectProperty(projectKey: string, propertyKey: string, value: unknown): Promise<void> {
    this.enter('setProjectProperty', [projectKey, propertyKey, value]);
    this.projectProperties.set(`${projectKey}/${propertyKey}`, JSON.parse(JSON.stringify(value)) as unknown);
  }

  async deleteProjectProperty(projectKey: string, propertyKey: string): Promise<void> {
    this.enter('deleteProjectProperty', [projectKey, propertyKey]);
    this.projectProperties.delete(`${projectKey}/${propertyKey}`);
  }

  async projectStyle(projectKey: string): Promise<'company-managed' | 'team-managed' | null> {
    this.enter('projectStyle', [projectKey]);
    return this.styles.get(projectKey) ?? null;
  }

  async groupNames(groupIds: readonly string[]): Promise<Record<string, string>> {
    this.enter('groupNames', [groupIds]);
    return Object.fromEntries(groupIds.flatMap((id) => (this.groupNamesById.has(id) ? [[id, this.groupNamesById.get(id)!]] : [])));
  }

  // -------------------------------------------------------------------------------------------
  // Forge payloads of a person's change

  /** The `avi:jira:updated:issue` payload of the change `changelogId` on `key`, with Jira's own item fields. */
  updateEvent(actor: string, key: string, changelogId: string, items: readonly Record<string, unknown>[]): Record<string, unknown> {
    const item = this.items.get(key)!;
    return {
      eventType: 'avi:jira:updated:issue',
      atlassianId: actor,
      issue: { id: item.id, key, fields: { project: { id: '10000', key: item.project }, issuetype: { id: '10001', subtask: item.subtask } } },
      changelog: { id: changelogId, items },
    };
  }
}

/** The changelog items Jira writes, for `FakeJira.updateEvent`. */
export const CHANGE_ITEMS = {
  rank: (direction: 'higher' | 'lower' = 'higher') => ({ field: 'Rank', fieldtype: 'custom', fieldId: FAKE_FIELDS.rank, from: '', fromString: '', to: '', toString: direction === 'higher' ? 'Ranked higher' : 'Ranked lower' }),
  priority: (from: string, to: string) => ({ field: 'priority', fieldtype: 'jira', fieldId: 'priority', from, fromString: `P${from}`, to, toString: `P${to}` }),
  assignee: (from: string | null, to: string | null) => ({ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from, fromString: from, to, toString: to }),
  estimate: (from: number | null, to: number | null) => ({ field: 'Story point estimate', fieldtype: 'custom', fieldId: FAKE_FIELDS.estimate, from: null, fromString: from === null ? null : String(from), to: null, toString: to === null ? null : String(to) }),
  sprint: (from: string, to: string) => ({ field: 'Sprint', fieldtype: 'custom', fieldId: FAKE_FIELDS.sprint, from, fromString: from, to, toString: to }),
};

// ---------------------------------------------------------------------------------------------
// The screens' reads

export class FakeJiraReads extends Failures implements JiraReads {
  /** Who calls: `myPermissions` answers for them, as Jira answers `asUser()`. */
  caller = '';
  readonly permissions = new Map<string, Set<PermissionKey>>();
  readonly people = new Map<string, PersonInfo>();
  readonly groups = new Map<string, { name: string; members: string[] }>();
  readonly roles = new Map<string, { name: string; actors: RoleActors }>();
  readonly statuses = new Map<string, string>([['10000', 'To Do'], ['3', 'In Progress'], ['10001', 'Done']]);
  readonly issues: SearchedIssue[] = [];
  readonly histories = new Map<string, ChangeHistory[]>();
  readonly sprints: AgileSprint[] = [];
  fields: FieldIds = { ...FAKE_FIELDS };

  async myPermissions(projectKey: string | null): Promise<Record<PermissionKey, boolean>> {
    this.enter('myPermissions', [projectKey]);
    const held = this.permissions.get(this.caller) ?? new Set();
    return Object.fromEntries(PERMISSION_KEYS.map((p) => [p, held.has(p)])) as Record<PermissionKey, boolean>;
  }

  async searchUsers(query: string): Promise<PersonInfo[]> {
    this.enter('searchUsers', [query]);
    return [...this.people.values()].filter((p) => p.displayName.toLowerCase().includes(query.toLowerCase()));
  }

  async usersByIds(accountIds: readonly string[], caller: Caller): Promise<PersonInfo[]> {
    this.enter('usersByIds', [accountIds, caller]);
    return [...new Set(accountIds)].flatMap((id) => (this.people.has(id) ? [this.people.get(id)!] : []));
  }

  async appAccountId(): Promise<string> {
    this.enter('appAccountId', []);
    return APP_ACCOUNT;
  }

  async searchGroups(query: string): Promise<{ groupId: string; name: string }[]> {
    this.enter('searchGroups', [query]);
    return [...this.groups].filter(([, g]) => g.name.includes(query)).map(([groupId, g]) => ({ groupId, name: g.name }));
  }

  async groupsByIds(groupIds: readonly string[]): Promise<{ groupId: string; name: string }[]> {
    this.enter('groupsByIds', [groupIds]);
    return groupIds.flatMap((groupId) => (this.groups.has(groupId) ? [{ groupId, name: this.groups.get(groupId)!.name }] : []));
  }

  async groupMembers(groupId: string, caller: Caller): Promise<PersonInfo[]> {
    this.enter('groupMembers', [groupId, caller]);
    const group = this.groups.get(groupId);
    if (!group) throw new Error(`Jira answered 404 to GET /rest/api/3/group/member: no group ${groupId}`);
    return group.members.map((id) => this.people.get(id) ?? { accountId: id, displayName: 'A former user', avatarUrl: null, active: true });
  }

  async projectRoles(projectKey: string, caller: Caller): Promise<{ id: string; name: string }[]> {
    this.enter('projectRoles', [projectKey, caller]);
    return [...this.roles].map(([id, r]) => ({ id, name: r.name }));
  }

  async projectRoleActors(projectKey: string, roleId: string, caller: Caller): Promise<RoleActors> {
    this.enter('projectRoleActors', [projectKey, roleId, caller]);
    return this.roles.get(roleId)?.actors ?? { users: [], groups: [] };
  }

  async statusNames(projectKey: string, caller: Caller): Promise<Map<string, string>> {
    this.enter('statusNames', [projectKey, caller]);
    return new Map(this.statuses);
  }

  /** Understands the two queries the app sends: a project's items (changedSinceJql), and `key in (...)`. */
  async searchIssues(jql: string, fields: readonly string[], caller: Caller, limit = 10_000): Promise<SearchedIssue[]> {
    this.enter('searchIssues', [jql, fields, caller, limit]);
    const keys = /^key in \((.*)\)$/.exec(jql)?.[1]?.split(',').map((k) => k.trim());
    const project = /^project = "([A-Z][A-Z0-9_]*)"/.exec(jql)?.[1];
    const found = keys ? this.issues.filter((i) => keys.includes(i.key)) : this.issues.filter((i) => project !== undefined && i.key.startsWith(`${project}-`));
    return found.slice(0, limit).map((i) => ({ id: i.id, key: i.key, fields: { ...i.fields } }));
  }

  async changelogsOf(issueIds: readonly string[], caller: Caller): Promise<Map<string, ChangeHistory[]>> {
    this.enter('changelogsOf', [issueIds, caller]);
    return new Map(issueIds.flatMap((id) => (this.histories.has(id) ? [[id, this.histories.get(id)!] as const] : [])));
  }

  async projectSprints(projectKey: string, caller: Caller): Promise<AgileSprint[]> {
    this.enter('projectSprints', [projectKey, caller]);
    return this.sprints.map((s) => ({ ...s }));
  }

  async agileFieldIds(caller: Caller): Promise<FieldIds> {
    this.enter('agileFieldIds', [caller]);
    return { ...this.fields };
  }
}
