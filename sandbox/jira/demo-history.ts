/**
 * The DEMO project's past: three closed two-week sprints before the active one, with the work items
 * they held and the history Jira would keep of them, so role health has patterns to show.
 *
 * The drift is the kind a Scrum Master meets: in Sprint A the Product Owner does the estimating; in
 * Sprint B the Scrum Master creates sub-tasks, assigns the work and moves the Developers' items along,
 * while a stakeholder re-ranks the backlog once and someone outside the team adds an item; Sprint C is
 * a healthy one. Every change lies well before the last two weeks' seeded history, so the short audits
 * of the existing tests see the same findings as before (DESIGN: the audit replays the same history).
 */
import { addDays, jiraDateTime } from './dates';
import { ranksAfter } from './lexorank';
import type { ChangeItem, ChangelogEntry, Issue, Sprint, Status } from './model';

export type HistoryPerson = 'po' | 'sm' | 'dev1' | 'dev2' | 'dev3' | 'stakeholder' | 'outsider';

/** Ids continue after the active and future sprints (1 and 2). */
export const CLOSED_SPRINT_IDS = { a: 3, b: 4, c: 5 } as const;

export interface HistoryContext {
  readonly now: Date;
  readonly projectKey: string;
  readonly accountId: (who: HistoryPerson) => string;
  readonly displayName: (who: HistoryPerson) => string;
  readonly fieldIds: { readonly rank: string; readonly sprint: string; readonly estimate: string };
  readonly fieldName: (id: string) => string;
  readonly statuses: { readonly toDo: Status; readonly inProgress: Status; readonly done: Status };
  readonly typeIds: { readonly story: string; readonly bug: string; readonly subtask: string };
  readonly boardId: number;
  /** The rank of the last seeded item: the past's items are ranked after it. */
  readonly lastRank: string;
  readonly firstNumber: number;
  readonly firstId: number;
  readonly firstChangelogId: number;
}

type Kind = 'story' | 'bug' | 'subtask';

interface PastItem {
  readonly ref: string;
  readonly summary: string;
  readonly type: Kind;
  readonly parent?: string;
  /** Who created it, and when: days after the start of `sprint` (negative: before it started). */
  readonly creator: HistoryPerson;
  readonly sprint: keyof typeof CLOSED_SPRINT_IDS | null;
  readonly createdAt: { readonly sprint: keyof typeof CLOSED_SPRINT_IDS; readonly day: number };
  readonly priority?: string;
}

/** One change: `day` counts from the start of `sprint`. */
type PastChange =
  | { readonly ref: string; readonly sprint: keyof typeof CLOSED_SPRINT_IDS; readonly day: number; readonly who: HistoryPerson; readonly kind: 'status'; readonly to: 'inProgress' | 'done' }
  | { readonly ref: string; readonly sprint: keyof typeof CLOSED_SPRINT_IDS; readonly day: number; readonly who: HistoryPerson; readonly kind: 'estimate'; readonly to: number }
  | { readonly ref: string; readonly sprint: keyof typeof CLOSED_SPRINT_IDS; readonly day: number; readonly who: HistoryPerson; readonly kind: 'assign'; readonly to: HistoryPerson }
  | { readonly ref: string; readonly sprint: keyof typeof CLOSED_SPRINT_IDS; readonly day: number; readonly who: HistoryPerson; readonly kind: 'rank'; readonly to: 'Ranked higher' | 'Ranked lower' }
  | { readonly ref: string; readonly sprint: keyof typeof CLOSED_SPRINT_IDS; readonly day: number; readonly who: HistoryPerson; readonly kind: 'add-to-sprint'; readonly to: keyof typeof CLOSED_SPRINT_IDS };

/** Start day of each closed sprint, relative to now; each lasts two weeks and closes just before the next starts. */
const START_DAY = { a: -47, b: -33, c: -19 } as const;
const NAMES = { a: 'DEMO Sprint A', b: 'DEMO Sprint B', c: 'DEMO Sprint C' } as const;
const GOALS = { a: 'Customers can browse the catalogue', b: 'Customers can fill a basket', c: 'Customers can pay with a saved card' } as const;

const ITEMS: readonly PastItem[] = [
  // Sprint A
  { ref: 'browse', summary: 'Browse products by category', type: 'story', creator: 'po', sprint: 'a', createdAt: { sprint: 'a', day: -3 } },
  { ref: 'detail', summary: 'Product detail page', type: 'story', creator: 'po', sprint: 'a', createdAt: { sprint: 'a', day: -3 } },
  { ref: 'images', summary: 'Product images load slowly', type: 'bug', creator: 'po', sprint: 'a', createdAt: { sprint: 'a', day: -2 } },
  { ref: 'category-api', summary: 'Category API endpoint', type: 'subtask', parent: 'browse', creator: 'dev1', sprint: 'a', createdAt: { sprint: 'a', day: 1 } },
  { ref: 'compare', summary: 'Compare two products', type: 'story', creator: 'stakeholder', sprint: 'c', createdAt: { sprint: 'a', day: 8 } },
  // Sprint B
  { ref: 'price-filter', summary: 'Price filter', type: 'story', creator: 'po', sprint: 'b', createdAt: { sprint: 'a', day: -3 } },
  { ref: 'basket', summary: 'Shopping basket', type: 'story', creator: 'po', sprint: 'b', createdAt: { sprint: 'b', day: -2 } },
  { ref: 'discounts', summary: 'Basket total ignores discounts', type: 'bug', creator: 'po', sprint: 'b', createdAt: { sprint: 'b', day: -2 } },
  { ref: 'basket-api', summary: 'Basket API', type: 'subtask', parent: 'basket', creator: 'sm', sprint: 'b', createdAt: { sprint: 'b', day: 1 } },
  { ref: 'persist', summary: 'Keep the basket between visits', type: 'subtask', parent: 'basket', creator: 'dev2', sprint: 'b', createdAt: { sprint: 'b', day: 1 } },
  { ref: 'newsletter', summary: 'Newsletter sign-up on the home page', type: 'story', creator: 'outsider', sprint: null, createdAt: { sprint: 'b', day: 4 } },
  // Sprint C
  { ref: 'saved-card', summary: 'Checkout with a saved card', type: 'story', creator: 'po', sprint: 'c', createdAt: { sprint: 'c', day: -2 } },
  { ref: 'country', summary: 'Card form remembers the wrong country', type: 'bug', creator: 'po', sprint: 'c', createdAt: { sprint: 'c', day: -2 } },
  { ref: 'tokenise', summary: 'Card tokenisation', type: 'subtask', parent: 'saved-card', creator: 'dev1', sprint: 'c', createdAt: { sprint: 'c', day: 1 } },
];

const h = 1 / 24;
const CHANGES: readonly PastChange[] = [
  // Sprint A: planning, then the Product Owner estimates most of the sprint's items.
  ...(['browse', 'detail', 'images'] as const).map((ref) => ({ ref, sprint: 'a', day: 2 * h, who: 'po', kind: 'add-to-sprint', to: 'a' }) as const),
  { ref: 'browse', sprint: 'a', day: 3 * h, who: 'po', kind: 'estimate', to: 5 },
  { ref: 'detail', sprint: 'a', day: 3 * h, who: 'po', kind: 'estimate', to: 3 },
  { ref: 'images', sprint: 'a', day: 4 * h, who: 'po', kind: 'estimate', to: 2 },
  { ref: 'detail', sprint: 'a', day: 3, who: 'dev2', kind: 'estimate', to: 5 },
  { ref: 'browse', sprint: 'a', day: 1, who: 'dev1', kind: 'assign', to: 'dev1' },
  { ref: 'detail', sprint: 'a', day: 1, who: 'dev2', kind: 'assign', to: 'dev2' },
  { ref: 'images', sprint: 'a', day: 1, who: 'dev3', kind: 'assign', to: 'dev3' },
  { ref: 'browse', sprint: 'a', day: 2, who: 'dev1', kind: 'status', to: 'inProgress' },
  { ref: 'category-api', sprint: 'a', day: 2, who: 'dev1', kind: 'status', to: 'inProgress' },
  { ref: 'detail', sprint: 'a', day: 3, who: 'dev2', kind: 'status', to: 'inProgress' },
  { ref: 'images', sprint: 'a', day: 4, who: 'dev3', kind: 'status', to: 'inProgress' },
  { ref: 'category-api', sprint: 'a', day: 5, who: 'dev1', kind: 'status', to: 'done' },
  { ref: 'price-filter', sprint: 'a', day: 5, who: 'po', kind: 'rank', to: 'Ranked higher' },
  { ref: 'images', sprint: 'a', day: 6, who: 'dev3', kind: 'status', to: 'done' },
  { ref: 'compare', sprint: 'a', day: 9, who: 'po', kind: 'rank', to: 'Ranked lower' },
  { ref: 'browse', sprint: 'a', day: 9, who: 'dev1', kind: 'status', to: 'done' },
  { ref: 'detail', sprint: 'a', day: 10, who: 'dev2', kind: 'status', to: 'done' },
  // Sprint B: the Scrum Master slides into clerical work; a stakeholder re-ranks once.
  ...(['price-filter', 'basket', 'discounts'] as const).map((ref) => ({ ref, sprint: 'b', day: 2 * h, who: 'po', kind: 'add-to-sprint', to: 'b' }) as const),
  { ref: 'basket', sprint: 'b', day: 1, who: 'dev1', kind: 'estimate', to: 8 },
  { ref: 'discounts', sprint: 'b', day: 1, who: 'dev3', kind: 'estimate', to: 2 },
  { ref: 'basket', sprint: 'b', day: 1 + h, who: 'sm', kind: 'assign', to: 'dev1' },
  { ref: 'discounts', sprint: 'b', day: 1 + h, who: 'sm', kind: 'assign', to: 'dev3' },
  { ref: 'basket-api', sprint: 'b', day: 1 + 2 * h, who: 'sm', kind: 'assign', to: 'dev2' },
  { ref: 'price-filter', sprint: 'b', day: 2, who: 'dev2', kind: 'status', to: 'inProgress' },
  { ref: 'basket', sprint: 'b', day: 2, who: 'sm', kind: 'status', to: 'inProgress' },
  { ref: 'discounts', sprint: 'b', day: 3, who: 'sm', kind: 'status', to: 'inProgress' },
  { ref: 'basket-api', sprint: 'b', day: 3, who: 'sm', kind: 'status', to: 'inProgress' },
  { ref: 'persist', sprint: 'b', day: 4, who: 'dev2', kind: 'status', to: 'inProgress' },
  { ref: 'compare', sprint: 'b', day: 5, who: 'stakeholder', kind: 'rank', to: 'Ranked higher' },
  { ref: 'discounts', sprint: 'b', day: 6, who: 'sm', kind: 'status', to: 'done' },
  { ref: 'newsletter', sprint: 'b', day: 6, who: 'po', kind: 'rank', to: 'Ranked lower' },
  { ref: 'price-filter', sprint: 'b', day: 7, who: 'dev2', kind: 'status', to: 'done' },
  { ref: 'persist', sprint: 'b', day: 9, who: 'dev2', kind: 'status', to: 'done' },
  { ref: 'basket-api', sprint: 'b', day: 10, who: 'dev2', kind: 'status', to: 'done' },
  { ref: 'basket', sprint: 'b', day: 12, who: 'sm', kind: 'status', to: 'done' },
  // Sprint C: the Developers run their own sprint (its first days; the seeded history covers the rest).
  ...(['saved-card', 'country', 'compare'] as const).map((ref) => ({ ref, sprint: 'c', day: 2 * h, who: 'po', kind: 'add-to-sprint', to: 'c' }) as const),
  { ref: 'saved-card', sprint: 'c', day: 1, who: 'dev1', kind: 'estimate', to: 5 },
  { ref: 'country', sprint: 'c', day: 1, who: 'dev3', kind: 'estimate', to: 1 },
  { ref: 'compare', sprint: 'c', day: 1, who: 'dev2', kind: 'estimate', to: 3 },
  { ref: 'saved-card', sprint: 'c', day: 1 + h, who: 'dev1', kind: 'assign', to: 'dev1' },
  { ref: 'country', sprint: 'c', day: 1 + h, who: 'dev3', kind: 'assign', to: 'dev3' },
  { ref: 'compare', sprint: 'c', day: 1 + h, who: 'dev2', kind: 'assign', to: 'dev2' },
  { ref: 'saved-card', sprint: 'c', day: 2, who: 'dev1', kind: 'status', to: 'inProgress' },
  { ref: 'tokenise', sprint: 'c', day: 2, who: 'dev1', kind: 'status', to: 'inProgress' },
  { ref: 'country', sprint: 'c', day: 2, who: 'dev3', kind: 'status', to: 'inProgress' },
  { ref: 'newsletter', sprint: 'c', day: 2, who: 'po', kind: 'rank', to: 'Ranked higher' },
  { ref: 'compare', sprint: 'c', day: 3, who: 'dev2', kind: 'status', to: 'inProgress' },
  { ref: 'country', sprint: 'c', day: 3, who: 'dev3', kind: 'status', to: 'done' },
  { ref: 'tokenise', sprint: 'c', day: 3 + h, who: 'dev1', kind: 'status', to: 'done' },
  { ref: 'saved-card', sprint: 'c', day: 4, who: 'dev1', kind: 'status', to: 'done' },
  { ref: 'compare', sprint: 'c', day: 4, who: 'dev2', kind: 'status', to: 'done' },
];

export interface DemoPast {
  readonly sprints: Sprint[];
  readonly issues: Issue[];
  readonly nextChangelogId: number;
}

export function buildDemoPast(ctx: HistoryContext): DemoPast {
  const at = (sprint: keyof typeof CLOSED_SPRINT_IDS, day: number): Date => addDays(ctx.now, START_DAY[sprint] + day);
  const sprints: Sprint[] = (['a', 'b', 'c'] as const).map((s) => ({
    id: CLOSED_SPRINT_IDS[s],
    name: NAMES[s],
    state: 'closed',
    goal: GOALS[s],
    startDate: jiraDateTime(at(s, 0)),
    endDate: jiraDateTime(at(s, 14)),
    // Closed in the review's afternoon, an hour before the next sprint starts.
    completeDate: jiraDateTime(at(s, 14 - h)),
    createdDate: jiraDateTime(at(s, -7)),
    originBoardId: ctx.boardId,
  }));

  const ranks = ranksAfter(ctx.lastRank, ITEMS.length);
  const byRef = new Map<string, Issue>();
  const issues: Issue[] = ITEMS.map((item, index) => {
    const created = jiraDateTime(at(item.createdAt.sprint, item.createdAt.day));
    const parent = item.parent === undefined ? undefined : byRef.get(item.parent);
    const issue: Issue = {
      id: String(ctx.firstId + index),
      key: `${ctx.projectKey}-${ctx.firstNumber + index}`,
      projectKey: ctx.projectKey,
      summary: item.summary,
      description: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: `${item.summary}.` }] }] },
      typeId: ctx.typeIds[item.type],
      statusId: ctx.statuses.toDo.id,
      priorityId: item.priority ?? '3',
      assignee: null,
      reporter: ctx.accountId(item.creator),
      creator: ctx.accountId(item.creator),
      created,
      updated: created,
      statusCategoryChanged: created,
      resolutionDate: null,
      labels: [],
      estimate: null,
      rank: ranks[index]!,
      // Sub-tasks are in their parent's sprint from the start; others join at Sprint Planning.
      sprintIds: item.type === 'subtask' && item.sprint !== null ? [CLOSED_SPRINT_IDS[item.sprint]] : [],
      parentKey: parent ? parent.key : null,
      changelog: [],
      properties: new Map(),
    };
    byRef.set(item.ref, issue);
    return issue;
  });

  let changelogId = ctx.firstChangelogId;
  const entries: { issue: Issue; when: Date; who: HistoryPerson; items: ChangeItem[] }[] = [];
  const statusOf = new Map<string, Status>();
  const { toDo, inProgress, done } = ctx.statuses;
  for (const change of CHANGES) {
    const issue = byRef.get(change.ref);
    if (!issue) throw new Error(`the demo's past names an unknown work item ${change.ref}`);
    const when = at(change.sprint, change.day);
    let items: ChangeItem[];
    switch (change.kind) {
      case 'status': {
        const from = statusOf.get(change.ref) ?? toDo;
        const to = change.to === 'done' ? done : inProgress;
        statusOf.set(change.ref, to);
        issue.statusId = to.id;
        if (to === done) issue.resolutionDate = jiraDateTime(when);
        issue.statusCategoryChanged = jiraDateTime(when);
        items = [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name }];
        if (to === done) items.push({ field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: null, fromString: null, to: '10000', toString: 'Done' });
        break;
      }
      case 'estimate': {
        const from = issue.estimate;
        issue.estimate = change.to;
        items = [{ field: ctx.fieldName(ctx.fieldIds.estimate), fieldtype: 'custom', fieldId: ctx.fieldIds.estimate, from: null, fromString: from === null ? null : String(from), to: null, toString: String(change.to) }];
        break;
      }
      case 'assign': {
        const from = issue.assignee;
        const fromPerson = from === null ? null : (['po', 'sm', 'dev1', 'dev2', 'dev3', 'stakeholder', 'outsider'] as const).find((p) => ctx.accountId(p) === from);
        issue.assignee = ctx.accountId(change.to);
        items = [{ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from, fromString: fromPerson ? ctx.displayName(fromPerson) : null, to: ctx.accountId(change.to), toString: ctx.displayName(change.to) }];
        break;
      }
      case 'rank':
        items = [{ field: ctx.fieldName(ctx.fieldIds.rank), fieldtype: 'custom', fieldId: ctx.fieldIds.rank, from: '', fromString: '', to: '', toString: change.to }];
        break;
      case 'add-to-sprint': {
        const sprintId = CLOSED_SPRINT_IDS[change.to];
        const before = issue.sprintIds.join(', ');
        const beforeNames = issue.sprintIds.map((id) => sprints.find((s) => s.id === id)?.name ?? String(id)).join(', ');
        issue.sprintIds = [...issue.sprintIds, sprintId];
        items = [
          {
            field: ctx.fieldName(ctx.fieldIds.sprint),
            fieldtype: 'custom',
            fieldId: ctx.fieldIds.sprint,
            from: before === '' ? null : before,
            fromString: beforeNames === '' ? null : beforeNames,
            to: issue.sprintIds.join(', '),
            toString: issue.sprintIds.map((id) => sprints.find((s) => s.id === id)?.name ?? String(id)).join(', '),
          },
        ];
        break;
      }
    }
    entries.push({ issue, when, who: change.who, items });
  }
  // Changelog ids grow with time across the site, as Jira's do.
  entries.sort((x, y) => x.when.getTime() - y.when.getTime());
  for (const entry of entries) {
    const record: ChangelogEntry = { id: String(changelogId++), authorAccountId: ctx.accountId(entry.who), created: jiraDateTime(entry.when), items: entry.items };
    entry.issue.changelog.push(record);
    entry.issue.updated = record.created;
  }
  return { sprints, issues, nextChangelogId: changelogId };
}
