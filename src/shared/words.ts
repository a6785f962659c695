/**
 * The words the screens and the CSV use for outcomes, statuses, modes and roles: one place, so the
 * file a Scrum Master downloads says what the page said. No imports, so any bundle may use it.
 */
import type { Mode, RoleKey } from '../core/catalogue';

export const OUTCOME_WORDS: Readonly<Record<string, { readonly text: string; readonly description: string }>> = {
  flagged: { text: 'Flagged', description: 'Recorded; the change stands.' },
  refused: { text: 'Refused', description: 'Jira refused the transition before it happened.' },
  reverted: { text: 'Undone', description: 'The change was undone right after it happened.' },
  'revert-skipped': { text: 'Not undone', description: 'The work item had changed again since, so nothing was undone.' },
  unjudgeable: { text: 'Not judged', description: 'The roles could not be checked at the time, so nothing was undone on a guess.' },
};

export const STATUS_WORDS: Readonly<Record<string, string>> = { open: 'Open', acknowledged: 'Talked through' };

export const MODE_WORDS: Readonly<Record<Mode, string>> = { off: 'Off', flag: 'Flag', block: 'Block' };

/** Singular role names, for "the Scrum Master moved ..." and for a person's own roles. */
export const ROLE_SINGULAR: Readonly<Record<RoleKey, string>> = {
  productOwner: 'Product Owner',
  scrumMaster: 'Scrum Master',
  developers: 'Developer',
  stakeholders: 'Stakeholder',
};

const ROLE_ORDER: readonly RoleKey[] = ['productOwner', 'scrumMaster', 'developers', 'stakeholders'];

/** "Developer, Scrum Master", or "outside the Scrum Team" for someone in no role. */
export function rolesText(roles: readonly string[]): string {
  const known = ROLE_ORDER.filter((role) => roles.includes(role));
  return known.length === 0 ? 'outside the Scrum Team' : known.map((role) => ROLE_SINGULAR[role]).join(', ');
}

/** The label of the bucket of log entries made while their work item was in no running sprint. */
export const NO_SPRINT_LABEL = 'Not in a sprint';
/** Its key among the chart's sprint buckets (sprint ids are numbers). */
export const NO_SPRINT_KEY = 'none';
