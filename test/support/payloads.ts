/** Raw Forge event payloads in the shape Jira sends them, for tests of the engine and the CLI. */

export const PEOPLE = {
  po: '712020:aa000000-0000-4000-8000-000000000001',
  sm: '712020:aa000000-0000-4000-8000-000000000002',
  dev1: '712020:aa000000-0000-4000-8000-000000000003',
  dev2: '712020:aa000000-0000-4000-8000-000000000004',
  stakeholder: '712020:aa000000-0000-4000-8000-000000000005',
  outsider: '712020:aa000000-0000-4000-8000-000000000006',
} as const;

export const FIELDS = { rank: 'customfield_10019', estimate: 'customfield_10016', sprint: 'customfield_10020' } as const;

export function baseConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    roles: {
      productOwner: { users: [PEOPLE.po] },
      scrumMaster: { users: [PEOPLE.sm] },
      developers: { users: [PEOPLE.dev1, PEOPLE.dev2] },
      stakeholders: { users: [PEOPLE.stakeholder] },
    },
    fields: FIELDS,
    ...overrides,
  };
}

interface IssueOptions {
  key?: string;
  subtask?: boolean;
  /** Sprints the item is in, as the site's sprint field carries them. */
  sprints?: { id: number; state: string }[] | null;
  /** The Agile API's single `sprint` field. */
  agileSprint?: { id: number; state: string } | null;
  typeKey?: 'issuetype' | 'issueType';
}

export function issue(options: IssueOptions = {}): Record<string, unknown> {
  const type = { id: options.subtask ? '10003' : '10001', name: options.subtask ? 'Subtask' : 'Story', subtask: options.subtask ?? false };
  const fields: Record<string, unknown> = {
    summary: 'As a user I can log in',
    [options.typeKey ?? 'issuetype']: type,
    project: { id: '10000', key: 'DEMO', name: 'Demo' },
    status: { id: '10000', name: 'To Do' },
    assignee: null,
  };
  if (options.sprints !== undefined) fields[FIELDS.sprint] = options.sprints === null ? null : options.sprints.map((s) => ({ ...s, name: `Sprint ${s.id}`, boardId: 1 }));
  if (options.agileSprint !== undefined) fields['sprint'] = options.agileSprint;
  return { id: '10042', key: options.key ?? 'DEMO-7', fields };
}

export interface ChangelogItem {
  field?: string;
  fieldtype?: string;
  fieldId?: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export const ITEMS = {
  rank: (direction: 'higher' | 'lower' = 'higher', fieldId: string | undefined = FIELDS.rank, name = 'Rank'): ChangelogItem => ({
    field: name,
    fieldtype: 'custom',
    ...(fieldId === undefined ? {} : { fieldId }),
    from: '',
    fromString: '',
    to: '',
    toString: direction === 'higher' ? 'Ranked higher' : 'Ranked lower',
  }),
  status: (from = '10000', to = '3'): ChangelogItem => ({ field: 'status', fieldtype: 'jira', fieldId: 'status', from, fromString: 'To Do', to, toString: 'In Progress' }),
  estimate: (from: string | null = '3', to: string | null = '5', fieldId: string | undefined = FIELDS.estimate, name = 'Story point estimate'): ChangelogItem => ({
    field: name,
    fieldtype: 'custom',
    ...(fieldId === undefined ? {} : { fieldId }),
    from,
    fromString: from,
    to,
    toString: to,
  }),
  priority: (): ChangelogItem => ({ field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: '3', fromString: 'Medium', to: '2', toString: 'High' }),
  assignee: (to: string | null, from: string | null = null): ChangelogItem => ({ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from, fromString: from ? 'Someone' : null, to, toString: to ? 'Someone else' : null }),
  sprint: (from: string, to: string): ChangelogItem => ({ field: 'Sprint', fieldtype: 'custom', fieldId: FIELDS.sprint, from, fromString: from, to, toString: to }),
  summary: (): ChangelogItem => ({ field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: 'Old', to: null, toString: 'New' }),
};

export function updated(actor: string | undefined, items: ChangelogItem[], issueOptions: IssueOptions = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventType: 'avi:jira:updated:issue',
    issue: issue(issueOptions),
    ...(actor === undefined ? {} : { atlassianId: actor }),
    changelog: { id: '10500', items },
    ...extra,
  };
}

export function created(actor: string, issueOptions: IssueOptions = {}): Record<string, unknown> {
  return { eventType: 'avi:jira:created:issue', issue: issue(issueOptions), atlassianId: actor, associatedUsers: [{ accountId: actor }] };
}

export function sprintEvent(
  kind: 'started' | 'closed' | 'updated',
  actor: string,
  sprint: { goal?: string | null; state?: string; endDate?: string; completeDate?: string } = {},
): Record<string, unknown> {
  return {
    eventType: `avi:jira-software:${kind}:sprint`,
    atlassianId: actor,
    sprint: {
      id: 5,
      self: 'https://example.atlassian.net/rest/agile/1.0/sprint/5',
      state: sprint.state ?? (kind === 'closed' ? 'closed' : 'active'),
      name: 'DEMO Sprint 5',
      startDate: '2026-11-09T09:00:00.000+0100',
      endDate: sprint.endDate ?? '2026-11-20T17:00:00.000+0100',
      ...(sprint.completeDate ? { completeDate: sprint.completeDate } : {}),
      createdDate: '2026-11-02T10:00:00.000+0100',
      originBoardId: 1,
      goal: sprint.goal === undefined ? 'Customers can log in' : sprint.goal,
    },
  };
}
