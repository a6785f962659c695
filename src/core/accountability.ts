/**
 * The Scrum accountabilities role health counts, and how one normalised change is sorted into them
 * and into a role bucket. Pure: the replay (src/app/audit.ts) normalises the history, this module only
 * names what each change was and who, by role, did it.
 *
 * Unlike the evaluator, nothing here looks at rule modes or whether the actor was allowed: role health
 * counts every change, so a team sees who carries each accountability even with every rule off.
 */
import { RULES, type RoleKey, type RuleId } from './catalogue';
import type { DomainEvent, FieldChange } from './events';

export const ACCOUNTABILITIES = ['backlog-order', 'status-update', 'estimate', 'assign', 'create-item', 'create-subtask', 'sprint-scope'] as const;
export type Accountability = (typeof ACCOUNTABILITIES)[number];

export const ACCOUNTABILITY_LABELS: Record<Accountability, string> = {
  'backlog-order': 'Ordering the backlog',
  'status-update': 'Updating status',
  estimate: 'Estimating',
  assign: 'Assigning',
  'create-item': 'Creating backlog items',
  'create-subtask': 'Creating sub-tasks',
  'sprint-scope': 'Changing sprint scope',
};

export const HEALTH_BUCKETS = ['productOwner', 'scrumMaster', 'developers', 'stakeholders', 'outside'] as const;
export type HealthBucket = (typeof HEALTH_BUCKETS)[number];

/** The catalogue rule behind each accountability: its `allowed` roles are who the Scrum Guide gives it to. */
export const ACCOUNTABILITY_RULE: Record<Accountability, RuleId> = {
  'backlog-order': 'backlog-rank',
  'status-update': 'status-change',
  estimate: 'estimate-change',
  assign: 'assign-others',
  'create-item': 'item-create',
  'create-subtask': 'subtask-create',
  'sprint-scope': 'sprint-scope-add',
};

/** The order roles are tried in when an actor holds several. */
const ROLE_ORDER: readonly RoleKey[] = ['productOwner', 'scrumMaster', 'developers', 'stakeholders'];

function sprintIdList(value: string | null): string[] {
  if (value === null || value.trim() === '') return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Whether a sprint field change added the item to a sprint or took it out of one. */
export function changesSprintMembership(change: FieldChange): boolean {
  const before = new Set(sprintIdList(change.from));
  const after = new Set(sprintIdList(change.to));
  if (before.size !== after.size) return true;
  for (const id of after) if (!before.has(id)) return true;
  return false;
}

/** One accountability a change exercised, with the changelog item behind it (null for a creation). */
export interface ClassifiedAction {
  readonly accountability: Accountability;
  readonly change: FieldChange | null;
}

/**
 * The accountabilities one normalised change exercised, each at most once. A rank change inside an
 * active sprint is the Developers' ordering of their own plan, not backlog ordering, and is not counted.
 */
export function classifyChange(event: DomainEvent): ClassifiedAction[] {
  const found = new Map<Accountability, FieldChange | null>();
  const add = (accountability: Accountability, change: FieldChange | null): void => {
    if (!found.has(accountability)) found.set(accountability, change);
  };
  switch (event.kind) {
    case 'issue-created':
      add(event.issue.subtask ? 'create-subtask' : 'create-item', null);
      break;
    case 'issue-updated': {
      const inActiveSprint = event.issue.sprints?.some((s) => s.state === 'active') ?? false;
      for (const change of event.changes) {
        switch (change.field) {
          case 'rank':
            if (!inActiveSprint) add('backlog-order', change);
            break;
          case 'status':
            add('status-update', change);
            break;
          case 'estimate':
            add('estimate', change);
            break;
          case 'assignee':
            add('assign', change);
            break;
          case 'sprint':
            if (changesSprintMembership(change)) add('sprint-scope', change);
            break;
          case 'priority':
            break;
        }
      }
      break;
    }
    default:
      break;
  }
  return [...found].map(([accountability, change]) => ({ accountability, change }));
}

/**
 * The bucket an actor's change counts in: a role the accountability's rule allows, when they hold one;
 * otherwise their first role; with no Scrum role at all, outside the team.
 */
export function bucketOf(accountability: Accountability, roles: ReadonlySet<RoleKey> | readonly RoleKey[]): HealthBucket {
  const held = new Set<RoleKey>(roles);
  if (held.size === 0) return 'outside';
  const allowed: readonly RoleKey[] = RULES[ACCOUNTABILITY_RULE[accountability]].allowed;
  const fitting = ROLE_ORDER.find((role) => held.has(role) && allowed.includes(role));
  if (fitting) return fitting;
  return ROLE_ORDER.find((role) => held.has(role))!;
}

/** Whether work in this bucket sits with a role the Scrum Guide gives the accountability to. */
export function isOnRole(accountability: Accountability, bucket: HealthBucket): boolean {
  const allowed: readonly string[] = RULES[ACCOUNTABILITY_RULE[accountability]].allowed;
  return allowed.includes(bucket);
}
