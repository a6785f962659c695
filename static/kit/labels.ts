/** The words the three screens use for rules, roles, modes and outcomes: Jira's and the Scrum Guide's. */
import { MODES, ROLE_KEYS, ROLE_LABELS, RULE_CATALOGUE, RULE_IDS, type Mode, type RoleKey, type RuleId } from '../../src/core/catalogue';
import type { BadgeAppearance } from './components';

export { MODES, ROLE_KEYS, ROLE_LABELS, RULE_CATALOGUE, RULE_IDS };
export type { Mode, RoleKey, RuleId };

/** Singular role names, for "the Scrum Master moved ..." and for a person's own roles. */
export const ROLE_SINGULAR: Readonly<Record<RoleKey, string>> = {
  productOwner: 'Product Owner',
  scrumMaster: 'Scrum Master',
  developers: 'Developer',
  stakeholders: 'Stakeholder',
};

export function ruleTitle(rule: string): string {
  return RULE_CATALOGUE.get(rule as RuleId)?.title ?? rule;
}

export function rolesText(roles: readonly string[]): string {
  const known = ROLE_KEYS.filter((role) => roles.includes(role));
  return known.length === 0 ? 'outside the Scrum Team' : known.map((role) => ROLE_SINGULAR[role]).join(', ');
}

export const MODE_LABELS: Readonly<Record<Mode, string>> = { off: 'Off', flag: 'Flag', block: 'Block' };

export const MODE_HELP: Readonly<Record<Mode, string>> = {
  off: 'Not watched.',
  flag: 'Recorded and explained on the work item; nothing is undone.',
  block: 'Prevented or undone, and explained on the work item.',
};

export interface OutcomeLabel {
  readonly text: string;
  readonly appearance: BadgeAppearance;
  readonly description: string;
}

export const OUTCOME_LABELS: Readonly<Record<string, OutcomeLabel>> = {
  flagged: { text: 'Flagged', appearance: 'warning', description: 'Recorded; the change stands.' },
  refused: { text: 'Refused', appearance: 'danger', description: 'Jira refused the transition before it happened.' },
  reverted: { text: 'Undone', appearance: 'information', description: 'The change was undone right after it happened.' },
  'revert-skipped': { text: 'Not undone', appearance: 'default', description: 'The work item had changed again since, so nothing was undone.' },
  unjudgeable: { text: 'Not judged', appearance: 'default', description: 'The roles could not be checked at the time, so nothing was undone on a guess.' },
};

export function outcomeLabel(outcome: string): OutcomeLabel {
  return OUTCOME_LABELS[outcome] ?? { text: outcome, appearance: 'default', description: '' };
}

export const STATUS_LABELS: Readonly<Record<string, string>> = { open: 'Open', acknowledged: 'Talked through' };
