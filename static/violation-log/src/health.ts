/**
 * Role health apart from the screen: shares, shades and trends from the resolver's counts, and the
 * tab's state (sprints asked for, the sprint shown, the cell drilled into and its pages of changes).
 */
import { ACCOUNTABILITIES, ACCOUNTABILITY_LABELS, ACCOUNTABILITY_RULE, HEALTH_BUCKETS, type Accountability, type HealthBucket } from '../../../src/core/accountability';
import { RULE_CATALOGUE, type RoleKey } from '../../../src/core/catalogue';
import { listWords } from '../../../src/core/wording';
import type { HealthChangeView, RoleHealthSprintView } from '../../../src/shared/resolver-api';
import { plural } from '../../kit/format';
import { LIMITS } from '../../kit/limits';

export { ACCOUNTABILITIES, ACCOUNTABILITY_LABELS, HEALTH_BUCKETS, type Accountability, type HealthBucket };

export const DEFAULT_SPRINTS = LIMITS.healthDefaultSprints;
export const MAX_SPRINTS = LIMITS.healthMaxSprints;
/** How long to wait before asking again how far the computation got. */
export const POLL_MS = 1500;

export const BUCKET_LABELS: Readonly<Record<HealthBucket, string>> = {
  productOwner: 'Product Owner',
  scrumMaster: 'Scrum Master',
  developers: 'Developers',
  stakeholders: 'Stakeholders',
  outside: 'Outside the Scrum Team',
};

/** The bucket's words inside a sentence ("by the Scrum Master", "by people outside the Scrum Team"). */
export const BUCKET_IN_SENTENCE: Readonly<Record<HealthBucket, string>> = {
  productOwner: 'the Product Owner',
  scrumMaster: 'the Scrum Master',
  developers: 'the Developers',
  stakeholders: 'stakeholders',
  outside: 'people outside the Scrum Team',
};

/** The roles the Scrum Guide gives an accountability to: the `allowed` roles of its catalogue rule. */
export function guideRoles(accountability: Accountability): readonly RoleKey[] {
  return RULE_CATALOGUE.get(ACCOUNTABILITY_RULE[accountability])?.allowed ?? [];
}

/** "the Developers", "the Product Owner or the Developers". */
export function guideRolesText(accountability: Accountability): string {
  const roles = guideRoles(accountability).map((role) => BUCKET_IN_SENTENCE[role]);
  return roles.length === 0 ? 'nobody in particular' : listWords(roles, 'or');
}

/** Every change of one accountability in a sprint, whoever made it. */
export function accountabilityTotal(sprint: RoleHealthSprintView, accountability: Accountability): number {
  const row = sprint.actions[accountability];
  return HEALTH_BUCKETS.reduce((sum, bucket) => sum + (row?.[bucket] ?? 0), 0);
}

export function sprintTotal(sprint: RoleHealthSprintView): number {
  return ACCOUNTABILITIES.reduce((sum, accountability) => sum + accountabilityTotal(sprint, accountability), 0);
}

/** A cell's share of its accountability's changes, 0..1 (0 when nothing was done). */
export function cellShare(sprint: RoleHealthSprintView, accountability: Accountability, bucket: HealthBucket): number {
  const total = accountabilityTotal(sprint, accountability);
  return total === 0 ? 0 : (sprint.actions[accountability]?.[bucket] ?? 0) / total;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** The heat map's shade for a share: 0 (nothing) and four steps up to "most of it". */
export function shade(share: number): 0 | 1 | 2 | 3 | 4 {
  if (share <= 0) return 0;
  if (share < 0.25) return 1;
  if (share < 0.5) return 2;
  if (share < 0.75) return 3;
  return 4;
}

/**
 * Per sprint (oldest first), the share of an accountability's changes made by the roles the Scrum
 * Guide gives it; null for a sprint where nobody did it.
 */
export function guideShares(sprints: readonly RoleHealthSprintView[], accountability: Accountability): (number | null)[] {
  const roles = guideRoles(accountability);
  return sprints.map((sprint) => {
    const total = accountabilityTotal(sprint, accountability);
    if (total === 0) return null;
    return roles.reduce((sum, role) => sum + (sprint.actions[accountability]?.[role] ?? 0), 0) / total;
  });
}

/** One sentence on how the share held by the right roles moved, first sprint with changes to last. */
export function trendText(shares: readonly (number | null)[]): string {
  const known = shares.filter((s): s is number => s !== null);
  if (known.length === 0) return 'Nobody did this in these sprints.';
  if (known.length === 1) return `${percent(known[0]!)} in the one sprint where it was done.`;
  const first = known[0]!;
  const last = known[known.length - 1]!;
  const change = Math.round(last * 100) - Math.round(first * 100);
  if (change === 0) return `Steady at ${percent(last)}.`;
  return `${change > 0 ? 'Up' : 'Down'} from ${percent(first)} to ${percent(last)}.`;
}

/** "4 status updates and 2 estimates": the Scrum Master's clerical work in words. */
export const CLERICAL_WORDS: Readonly<Record<Accountability, [string, string]>> = {
  'backlog-order': ['backlog move', 'backlog moves'],
  'status-update': ['status update', 'status updates'],
  estimate: ['estimate', 'estimates'],
  assign: ['assignment', 'assignments'],
  'create-item': ['backlog item created', 'backlog items created'],
  'create-subtask': ['sub-task created', 'sub-tasks created'],
  'sprint-scope': ['sprint scope change', 'sprint scope changes'],
};

export function clericalText(byAccountability: Readonly<Partial<Record<Accountability, number>>>): string {
  return listWords(ACCOUNTABILITIES.filter((a) => (byAccountability[a] ?? 0) > 0).map((a) => plural(byAccountability[a]!, ...CLERICAL_WORDS[a])));
}

// ---------------------------------------------------------------------------------------------
// The tab's state.

export interface HealthCell {
  readonly sprintId: string;
  readonly accountability: Accountability;
  readonly bucket: HealthBucket;
}

export interface Drill {
  readonly cell: HealthCell;
  readonly changes: readonly HealthChangeView[];
  /** The cursor of the next page, null when every change is shown. */
  readonly next: string | null;
  readonly loading: boolean;
  readonly error: unknown;
}

export interface HealthState {
  /** How many sprints to count, as chosen. */
  readonly sprints: number;
  /** The sprint the heat map shows; null follows the newest. */
  readonly sprintId: string | null;
  readonly drill: Drill | null;
}

export const INITIAL_HEALTH: HealthState = { sprints: DEFAULT_SPRINTS, sprintId: null, drill: null };

export type HealthAction =
  | { readonly type: 'sprints'; readonly sprints: number }
  | { readonly type: 'pick-sprint'; readonly sprintId: string }
  | { readonly type: 'open-cell'; readonly cell: HealthCell }
  | { readonly type: 'close-cell' }
  | { readonly type: 'more-changes' }
  | { readonly type: 'changes'; readonly cell: HealthCell; readonly changes: readonly HealthChangeView[]; readonly next: string | null; readonly append: boolean }
  | { readonly type: 'changes-failed'; readonly cell: HealthCell; readonly error: unknown };

export function sameCell(a: HealthCell | null | undefined, b: HealthCell | null | undefined): boolean {
  return !!a && !!b && a.sprintId === b.sprintId && a.accountability === b.accountability && a.bucket === b.bucket;
}

/** The sprint shown: the one picked while it is still among the answer's, else the newest. */
export function shownSprint(sprints: readonly RoleHealthSprintView[], sprintId: string | null): RoleHealthSprintView | null {
  return sprints.find((s) => s.id === sprintId) ?? sprints[sprints.length - 1] ?? null;
}

export function healthReducer(state: HealthState, action: HealthAction): HealthState {
  switch (action.type) {
    case 'sprints':
      return { ...state, sprints: Math.min(MAX_SPRINTS, Math.max(1, Math.round(action.sprints))), drill: null };
    case 'pick-sprint':
      return { ...state, sprintId: action.sprintId, drill: null };
    case 'open-cell':
      return { ...state, drill: { cell: action.cell, changes: [], next: null, loading: true, error: null } };
    case 'close-cell':
      return { ...state, drill: null };
    case 'more-changes':
      return state.drill ? { ...state, drill: { ...state.drill, loading: true, error: null } } : state;
    case 'changes':
      // An answer for a cell no longer open is dropped.
      if (!sameCell(state.drill?.cell, action.cell)) return state;
      return {
        ...state,
        drill: { cell: action.cell, changes: action.append ? [...state.drill!.changes, ...action.changes] : action.changes, next: action.next, loading: false, error: null },
      };
    case 'changes-failed':
      if (!sameCell(state.drill?.cell, action.cell)) return state;
      return { ...state, drill: { ...state.drill!, loading: false, error: action.error } };
  }
}
