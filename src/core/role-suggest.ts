/**
 * Suggest roles: a role map proposed from who did what in the history, ignoring the current map. Pure;
 * the counts come from the same replay role health uses. A proposal only: the admin accepts or edits it.
 */
import type { Accountability } from './accountability';
import { ROLE_KEYS, type RoleKey } from './catalogue';
import { listWords } from './wording';

/** Per account, how often they exercised each accountability in the window. */
export type PersonCounts = Readonly<Record<string, Readonly<Partial<Record<Accountability, number>>>>>;

export interface RoleSuggestion {
  readonly role: RoleKey;
  readonly accountIds: string[];
  /** For a role nobody is suggested for, one reason with an empty account id says why. */
  readonly reasons: { readonly accountId: string; readonly why: string }[];
}

/** At least this many backlog moves, and at least this share of them, to suggest a Product Owner. */
export const PO_MIN_MOVES = 3;
export const PO_MIN_SHARE = 0.5;
/** Changes a person must have made to their team's work to be suggested as a Developer. */
export const DEVELOPER_MIN_CHANGES = 3;

const n = (counts: Readonly<Partial<Record<Accountability, number>>> | undefined, a: Accountability): number => counts?.[a] ?? 0;

function times(count: number): string {
  return count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`;
}

/**
 * `scrumMasters`: who holds the Scrum Master role today. History cannot tell a Scrum Master helping
 * out from a Developer (both update status), so today's choice is kept, and they are proposed for no
 * other role: the Scrum Master doing the team's work is what role health shows, not a new role.
 */
export function suggestRoleMap(counts: PersonCounts, scrumMasters: ReadonlySet<string> = new Set()): RoleSuggestion[] {
  const people = Object.keys(counts).sort();

  // Product Owner: the one person who did most of the backlog ordering.
  const totalOrder = people.reduce((sum, id) => sum + n(counts[id], 'backlog-order'), 0);
  const byOrder = [...people].sort((a, b) => n(counts[b], 'backlog-order') - n(counts[a], 'backlog-order') || a.localeCompare(b));
  const top = byOrder[0];
  const topCount = top === undefined ? 0 : n(counts[top], 'backlog-order');
  const tied = byOrder.length > 1 && n(counts[byOrder[1]!], 'backlog-order') === topCount;
  const po = top !== undefined && !tied && topCount >= PO_MIN_MOVES && topCount / totalOrder >= PO_MIN_SHARE ? top : null;
  const poSuggestion: RoleSuggestion =
    po !== null
      ? { role: 'productOwner', accountIds: [po], reasons: [{ accountId: po, why: `ordered the backlog ${times(topCount)} of ${totalOrder} (${Math.round((topCount / totalOrder) * 100)}%)` }] }
      : {
          role: 'productOwner',
          accountIds: [],
          reasons: [{ accountId: '', why: totalOrder === 0 ? 'nobody ordered the backlog in this period' : 'nobody did most of the backlog ordering in this period' }],
        };

  // Developers: the people who keep the team's work moving, estimated and broken down.
  const developers: string[] = [];
  const devReasons: { accountId: string; why: string }[] = [];
  let scrumMasterChanges = 0;
  for (const id of people) {
    const c = counts[id];
    const status = n(c, 'status-update');
    const estimate = n(c, 'estimate');
    const subtasks = n(c, 'create-subtask');
    if (status + estimate + subtasks < DEVELOPER_MIN_CHANGES) continue;
    if (scrumMasters.has(id)) {
      scrumMasterChanges += status + estimate + subtasks;
      continue;
    }
    if (id === po && status < DEVELOPER_MIN_CHANGES) continue;
    developers.push(id);
    const parts = [
      ...(status > 0 ? [`updated status ${times(status)}`] : []),
      ...(estimate > 0 ? [`estimated ${times(estimate)}`] : []),
      ...(subtasks > 0 ? [`created ${subtasks === 1 ? 'a sub-task' : `${subtasks} sub-tasks`}`] : []),
    ];
    devReasons.push({ accountId: id, why: listWords(parts) });
  }

  // Stakeholders: people who brought items or ordered the backlog, and are none of the above.
  const stakeholders: string[] = [];
  const stakeholderReasons: { accountId: string; why: string }[] = [];
  for (const id of people) {
    if (id === po || developers.includes(id) || scrumMasters.has(id)) continue;
    const created = n(counts[id], 'create-item');
    const ordered = n(counts[id], 'backlog-order');
    if (created + ordered === 0) continue;
    stakeholders.push(id);
    const parts = [
      ...(created > 0 ? [`created ${created === 1 ? 'a backlog item' : `${created} backlog items`}`] : []),
      ...(ordered > 0 ? [`ordered the backlog ${times(ordered)}`] : []),
    ];
    stakeholderReasons.push({ accountId: id, why: listWords(parts) });
  }

  const byRole: Record<RoleKey, RoleSuggestion> = {
    productOwner: poSuggestion,
    // Nothing in Jira's history reliably shows a Scrum Master's work: coaching leaves no changelog.
    scrumMaster: { role: 'scrumMaster', accountIds: [], reasons: [{ accountId: '', why: 'Jira’s history shows no reliable sign of the Scrum Master’s work; keep the current choice.' }] },
    developers: {
      role: 'developers',
      accountIds: developers,
      reasons: [
        ...devReasons,
        ...(scrumMasterChanges > 0
          ? [{ accountId: '', why: `Today’s Scrum Master also made ${scrumMasterChanges} changes of this kind and is not suggested here: helping out does not make them a Developer. Role health shows how much of the team’s work they carry.` }]
          : []),
      ],
    },
    stakeholders: { role: 'stakeholders', accountIds: stakeholders, reasons: stakeholderReasons },
  };
  return ROLE_KEYS.map((role) => byRole[role]);
}
