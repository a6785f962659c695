/**
 * The default rule catalogue: what each rule watches, who may do it, its default mode,
 * what "block" can mean for it in Jira, and the coaching words the app shows.
 */

export const ROLE_KEYS = ['productOwner', 'scrumMaster', 'developers', 'stakeholders'] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

export const ROLE_LABELS: Readonly<Record<RoleKey, string>> = {
  productOwner: 'Product Owner',
  scrumMaster: 'Scrum Master',
  developers: 'Developers',
  stakeholders: 'Stakeholders',
};

export const MODES = ['off', 'flag', 'block'] as const;
export type Mode = (typeof MODES)[number];

/** How a rule in block mode undoes or prevents the action. `none`: the rule can only be flagged. */
export type BlockAction = 'refuse-transition' | 'revert-rank' | 'restore-field' | 'remove-from-sprint' | 'none';

export const RULE_IDS = [
  'backlog-rank',
  'sprint-rank',
  'status-change',
  'estimate-change',
  'assign-others',
  'priority-change',
  'item-create',
  'subtask-create',
  'sprint-scope-add',
  'sprint-goal-change',
  'sprint-cancel',
  'sprint-start-without-goal',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface RuleDefinition {
  readonly id: RuleId;
  /** What is watched, in the words of the settings page. */
  readonly title: string;
  readonly allowed: readonly RoleKey[];
  readonly defaultMode: Exclude<Mode, 'off'>;
  readonly blockAction: BlockAction;
  /** What block means, for people. */
  readonly blockMeans: string;
  /** The nudge: coaching, not scolding. */
  readonly message: string;
  /** The Scrum Guide (2020) basis the rule rests on. */
  readonly basis: string;
}

/** Every rule under its own id: a rule missing, unknown or filed under another id does not compile. */
const DEFINITIONS = {
  'backlog-rank': {
    id: 'backlog-rank',
    title: 'Reordering a Product Backlog item (not in the active sprint)',
    allowed: ['productOwner'],
    defaultMode: 'flag',
    blockAction: 'revert-rank',
    blockMeans: 'The item is moved back next to its old neighbour.',
    message:
      'This work item was moved in the Product Backlog. Ordering the backlog is the Product Owner\'s call; if the order should change, a word with them is the quickest way.',
    basis: 'The Product Owner is accountable for ordering Product Backlog items (Scrum Guide 2020, "Product Owner").',
  },
  'sprint-rank': {
    id: 'sprint-rank',
    title: 'Reordering a work item in the active sprint',
    allowed: ['developers', 'productOwner'],
    defaultMode: 'flag',
    blockAction: 'revert-rank',
    blockMeans: 'The item is moved back next to its old neighbour.',
    message:
      'This work item was reordered inside the active sprint. The Sprint Backlog is the Developers\' plan; suggestions are welcome at the Daily Scrum.',
    basis: 'The Sprint Backlog is a plan by and for the Developers (Scrum Guide 2020, "Sprint Backlog").',
  },
  'status-change': {
    id: 'status-change',
    title: 'Moving a work item to another status',
    allowed: ['developers'],
    defaultMode: 'flag',
    blockAction: 'refuse-transition',
    blockMeans: 'The transition is refused before it happens, with a note that says why.',
    message:
      'The status of this work item was changed by someone outside the Developers. The Developers keep their own work up to date; letting them move it keeps the board honest.',
    basis: 'The Developers decide how they turn Product Backlog items into Increments (Scrum Guide 2020, "Sprint Planning", Topic Three).',
  },
  'estimate-change': {
    id: 'estimate-change',
    title: 'Changing the estimate (story points)',
    allowed: ['developers'],
    defaultMode: 'flag',
    blockAction: 'restore-field',
    blockMeans: 'The old estimate is put back.',
    message:
      'The estimate of this work item was changed outside the Developers. The people who will do the work size it; if the size looks off, bring it to refinement.',
    basis: 'The Developers who will be doing the work are responsible for the sizing (Scrum Guide 2020, "Product Backlog Refinement").',
  },
  'assign-others': {
    id: 'assign-others',
    title: 'Assigning a work item to someone else',
    allowed: ['developers'],
    defaultMode: 'flag',
    blockAction: 'restore-field',
    blockMeans: 'The previous assignee is put back.',
    message:
      'This work item was assigned to someone by another person. The Developers self-manage who does what; offering the work to the team usually works better.',
    basis: 'Scrum Teams are self-managing: they decide internally who does what (Scrum Guide 2020, "Scrum Team").',
  },
  'priority-change': {
    id: 'priority-change',
    title: 'Changing the priority',
    allowed: ['productOwner'],
    defaultMode: 'flag',
    blockAction: 'restore-field',
    blockMeans: 'The old priority is put back.',
    message:
      'The priority of this work item was changed by someone other than the Product Owner. Priority is part of ordering the backlog; the Product Owner will want to hear the reason.',
    basis: 'The Product Owner is accountable for ordering Product Backlog items (Scrum Guide 2020, "Product Owner").',
  },
  'item-create': {
    id: 'item-create',
    title: 'Creating a backlog item (not a sub-task)',
    allowed: ['productOwner', 'developers'],
    defaultMode: 'flag',
    blockAction: 'none',
    blockMeans: 'Can only be flagged: Jira gives no way to refuse a creation.',
    message:
      'A new backlog item was created from outside the Scrum Team. Ideas are welcome; the Product Owner decides what goes into the Product Backlog, so let them know it is there.',
    basis: 'The Product Owner is accountable for creating and clearly communicating Product Backlog items (Scrum Guide 2020, "Product Owner").',
  },
  'subtask-create': {
    id: 'subtask-create',
    title: 'Creating a sub-task',
    allowed: ['developers'],
    defaultMode: 'flag',
    blockAction: 'none',
    blockMeans: 'Can only be flagged: Jira gives no way to refuse a creation.',
    message:
      'A sub-task was created by someone outside the Developers. Breaking work down is how the Developers plan their sprint; a suggestion to them may serve better.',
    basis: 'The Developers plan the work needed to meet the Sprint Goal, often by decomposing items (Scrum Guide 2020, "Sprint Planning", Topic Three).',
  },
  'sprint-scope-add': {
    id: 'sprint-scope-add',
    title: 'Adding a work item to the active sprint',
    allowed: ['developers', 'productOwner'],
    defaultMode: 'flag',
    blockAction: 'remove-from-sprint',
    blockMeans: 'The work item is taken out of the sprint again.',
    message:
      'This work item was added to the running sprint. Scope is negotiated between the Developers and the Product Owner; a quick talk with them keeps the Sprint Goal safe.',
    basis: 'Scope may be clarified and renegotiated with the Product Owner as more is learned (Scrum Guide 2020, "The Sprint").',
  },
  'sprint-goal-change': {
    id: 'sprint-goal-change',
    title: 'Editing the goal of the active sprint',
    allowed: [],
    defaultMode: 'flag',
    blockAction: 'none',
    blockMeans: 'Can only be flagged.',
    message:
      'The goal of the running sprint was edited. The Sprint Goal stays fixed during the sprint; if it no longer makes sense, that is a conversation for the whole Scrum Team.',
    basis: 'No changes are made that would endanger the Sprint Goal (Scrum Guide 2020, "The Sprint").',
  },
  'sprint-cancel': {
    id: 'sprint-cancel',
    title: 'Closing an active sprint before its end date',
    allowed: ['productOwner'],
    defaultMode: 'flag',
    blockAction: 'none',
    blockMeans: 'Can only be flagged.',
    message:
      'The sprint was closed before its end date. Cancelling a sprint is the Product Owner\'s decision, and a rare one; it is worth a short retrospective.',
    basis: 'Only the Product Owner has the authority to cancel the Sprint (Scrum Guide 2020, "The Sprint").',
  },
  'sprint-start-without-goal': {
    id: 'sprint-start-without-goal',
    title: 'Starting a sprint with no goal',
    allowed: [],
    defaultMode: 'flag',
    blockAction: 'none',
    blockMeans: 'Can only be flagged.',
    message:
      'This sprint started without a Sprint Goal. A one-line goal gives the team focus and a reason to say no; it can be written now.',
    basis: 'Sprint Planning results in a Sprint Goal; every Sprint has one (Scrum Guide 2020, "Sprint Planning", "Sprint Goal").',
  },
} satisfies { readonly [K in RuleId]: RuleDefinition & { readonly id: K } };

export const RULES: Readonly<Record<RuleId, RuleDefinition>> = DEFINITIONS;

/** The same definitions as a map, in catalogue order (for iterating and for ids not yet checked). */
export const RULE_CATALOGUE: ReadonlyMap<RuleId, RuleDefinition> = new Map(RULE_IDS.map((id) => [id, RULES[id]]));

export function ruleDefinition(id: RuleId): RuleDefinition {
  return RULES[id];
}

export function canBlock(id: RuleId): boolean {
  return ruleDefinition(id).blockAction !== 'none';
}

export function isRuleId(value: string): value is RuleId {
  return RULE_CATALOGUE.has(value as RuleId);
}
