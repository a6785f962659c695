/**
 * The second project of the local Jira: `TEAM`, a team-managed ("next-gen") Scrum project beside the
 * company-managed DEMO. Team-managed projects keep fields of their own, scoped to the project (here its
 * "Story point estimate", with an id of its own), have their own board and sprints, and their workflows
 * take no app validators or conditions. Rank and Sprint are the site's. Nothing of DEMO changes: its
 * ids, ranks, history and counters stay as data.ts makes them.
 */
import { addDays, jiraDateTime } from './dates';
import { ranksAfter } from './lexorank';
import type { Board, FieldDefinition, Issue, Project, Sprint } from './model';
import { ISSUE_TYPE_IDS, PEOPLE, STATUS_IDS } from './data';

export const TEAM_PROJECT = { id: '10100', key: 'TEAM', name: 'Team' } as const;
export const TEAM_BOARD_ID = 2;
export const TEAM_SPRINT_IDS = { active: 101, future: 102 } as const;
/** The project's own "Story point estimate" field (team-managed projects create their fields per project). */
export const TEAM_ESTIMATE_FIELD = 'customfield_10216';

export interface TeamData {
  readonly project: Project;
  readonly board: Board;
  readonly estimateField: FieldDefinition;
  readonly sprints: Sprint[];
  readonly issues: Issue[];
}

const SEED: { summary: string; status: keyof typeof STATUS_IDS; estimate: number | null; sprint: number | null; assignee: keyof typeof PEOPLE | null }[] = [
  { summary: 'Onboarding checklist for new customers', status: 'inProgress', estimate: 3, sprint: TEAM_SPRINT_IDS.active, assignee: 'dev2' },
  { summary: 'Invoice PDF layout', status: 'toDo', estimate: 2, sprint: TEAM_SPRINT_IDS.active, assignee: null },
  { summary: 'Tax rates per country', status: 'toDo', estimate: 5, sprint: null, assignee: null },
  { summary: 'Payment reminders by email', status: 'toDo', estimate: 3, sprint: null, assignee: null },
  { summary: 'Export invoices to the accounting tool', status: 'toDo', estimate: 8, sprint: null, assignee: null },
  { summary: 'Credit notes', status: 'toDo', estimate: null, sprint: null, assignee: null },
];

/** The TEAM project, ranked after every item `lastRank` closes (rank is one order across the site). */
export function buildTeam(now: Date, lastRank: string | null): TeamData {
  const project: Project = { ...TEAM_PROJECT, leadAccountId: PEOPLE.po.accountId, description: 'A team-managed Scrum project of the local Jira.', style: 'next-gen' };
  const board: Board = {
    id: TEAM_BOARD_ID,
    name: 'TEAM board',
    projectKey: TEAM_PROJECT.key,
    filterId: 10100,
    columns: [
      { name: 'To Do', statusIds: [STATUS_IDS.toDo] },
      { name: 'In Progress', statusIds: [STATUS_IDS.inProgress] },
      { name: 'Done', statusIds: [STATUS_IDS.done] },
    ],
  };
  const estimateField: FieldDefinition = {
    id: TEAM_ESTIMATE_FIELD,
    name: 'Story point estimate',
    custom: true,
    schema: { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points', customId: 10216 },
    clauseNames: ['cf[10216]', 'Story point estimate'],
    scope: { type: 'PROJECT', projectId: TEAM_PROJECT.id },
  };
  const sprints: Sprint[] = [
    {
      id: TEAM_SPRINT_IDS.active,
      name: 'TEAM Sprint 1',
      state: 'active',
      goal: 'Customers get a correct invoice',
      startDate: jiraDateTime(addDays(now, -3)),
      endDate: jiraDateTime(addDays(now, 11)),
      completeDate: null,
      createdDate: jiraDateTime(addDays(now, -10)),
      originBoardId: TEAM_BOARD_ID,
    },
    { id: TEAM_SPRINT_IDS.future, name: 'TEAM Sprint 2', state: 'future', goal: '', startDate: null, endDate: null, completeDate: null, createdDate: jiraDateTime(addDays(now, -3)), originBoardId: TEAM_BOARD_ID },
  ];
  const ranks = ranksAfter(lastRank, SEED.length);
  const created = jiraDateTime(addDays(now, -10));
  const issues: Issue[] = SEED.map((seed, index) => ({
    id: String(20001 + index),
    key: `${TEAM_PROJECT.key}-${index + 1}`,
    projectKey: TEAM_PROJECT.key,
    summary: seed.summary,
    description: null,
    typeId: ISSUE_TYPE_IDS.story,
    statusId: STATUS_IDS[seed.status],
    priorityId: '3',
    assignee: seed.assignee === null ? null : PEOPLE[seed.assignee].accountId,
    reporter: PEOPLE.po.accountId,
    creator: PEOPLE.po.accountId,
    created,
    updated: created,
    statusCategoryChanged: created,
    resolutionDate: null,
    labels: [],
    estimate: seed.estimate,
    rank: ranks[index]!,
    sprintIds: seed.sprint === null ? [] : [seed.sprint],
    parentKey: null,
    changelog: [],
    properties: new Map(),
  }));
  return { project, board, estimateField, sprints, issues };
}
