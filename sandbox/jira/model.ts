/** The local Jira's state: plain data, held by `JiraSite` and built by `data.ts`. */

export type DemoRole = 'productOwner' | 'scrumMaster' | 'developer' | 'stakeholder' | 'jiraAdmin' | 'outsider' | 'app';

export interface Person {
  readonly accountId: string;
  readonly displayName: string;
  /** A short lower-case name for scripts and `?as=` (e.g. "olivia"). */
  readonly handle: string;
  readonly accountType: 'atlassian' | 'app';
  readonly demoRole: DemoRole;
  readonly timeZone: string;
}

export interface Group {
  readonly groupId: string;
  readonly name: string;
  readonly members: readonly string[];
}

export type RoleActorRef = { readonly kind: 'user'; readonly accountId: string } | { readonly kind: 'group'; readonly groupId: string };

export interface ProjectRole {
  readonly id: number;
  readonly name: string;
  readonly actors: readonly RoleActorRef[];
}

export interface IssueType {
  readonly id: string;
  readonly name: string;
  readonly subtask: boolean;
  readonly hierarchyLevel: number;
  readonly description: string;
}

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface Status {
  readonly id: string;
  readonly name: string;
  readonly category: StatusCategoryKey;
}

export interface Transition {
  readonly id: string;
  readonly name: string;
  readonly toStatusId: string;
}

export interface Priority {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

/** The three custom fields the app must find by their type, whatever they are called. */
export interface AgileFieldIds {
  readonly rank: string;
  readonly sprint: string;
  readonly estimate: string;
}

export interface FieldDefinition {
  readonly id: string;
  readonly name: string;
  readonly custom: boolean;
  readonly schema: { type: string; items?: string; system?: string; custom?: string; customId?: number };
  readonly clauseNames: readonly string[];
  /** A field of one team-managed project only (Jira's field `scope`); site-wide when absent. */
  readonly scope?: { readonly type: 'PROJECT'; readonly projectId: string };
}

export type SprintState = 'future' | 'active' | 'closed';

export interface Sprint {
  id: number;
  name: string;
  state: SprintState;
  goal: string;
  startDate: string | null;
  endDate: string | null;
  completeDate: string | null;
  createdDate: string;
  originBoardId: number;
}

export interface Board {
  readonly id: number;
  readonly name: string;
  readonly projectKey: string;
  readonly filterId: number;
  /** Board columns and the statuses each one holds, left to right. */
  readonly columns: readonly { name: string; statusIds: readonly string[] }[];
}

export interface Project {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly leadAccountId: string;
  readonly description: string;
  /** Company-managed ("classic", the default) or team-managed ("next-gen"). */
  readonly style?: 'classic' | 'next-gen';
}

export interface ChangeItem {
  readonly field: string;
  readonly fieldtype: 'jira' | 'custom';
  readonly fieldId: string;
  readonly from: string | null;
  readonly fromString: string | null;
  readonly to: string | null;
  readonly toString: string | null;
}

export interface ChangelogEntry {
  readonly id: string;
  readonly authorAccountId: string;
  readonly created: string;
  readonly items: readonly ChangeItem[];
}

export interface Issue {
  readonly id: string;
  readonly key: string;
  readonly projectKey: string;
  summary: string;
  /** Kept as Atlassian Document Format, as v3 of the REST API speaks it. */
  description: unknown;
  typeId: string;
  statusId: string;
  priorityId: string;
  assignee: string | null;
  readonly reporter: string;
  readonly creator: string;
  readonly created: string;
  updated: string;
  statusCategoryChanged: string;
  resolutionDate: string | null;
  labels: string[];
  estimate: number | null;
  rank: string;
  /** Sprint ids in the order the item joined them; at most one of them is not closed. */
  sprintIds: number[];
  parentKey: string | null;
  readonly changelog: ChangelogEntry[];
  readonly properties: Map<string, unknown>;
}
