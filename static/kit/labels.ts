/** The words the three screens use for rules, roles, modes and outcomes: Jira's and the Scrum Guide's. */
import { MODES, ROLE_KEYS, ROLE_LABELS, RULE_CATALOGUE, RULE_IDS, RULES, type Mode, type RoleKey, type RuleId } from '../../src/core/catalogue';
import { MODE_WORDS, OUTCOME_WORDS, ROLE_SINGULAR, rolesText, STATUS_WORDS } from '../../src/shared/words';
import type { BadgeAppearance } from './components';

export { MODES, ROLE_KEYS, ROLE_LABELS, ROLE_SINGULAR, RULE_CATALOGUE, RULE_IDS, RULES, rolesText };
export type { Mode, RoleKey, RuleId };

export function ruleTitle(rule: string): string {
  return RULE_CATALOGUE.get(rule as RuleId)?.title ?? rule;
}

export const MODE_LABELS: Readonly<Record<Mode, string>> = MODE_WORDS;

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

const OUTCOME_APPEARANCE: Readonly<Record<string, BadgeAppearance>> = {
  flagged: 'warning',
  refused: 'danger',
  reverted: 'information',
  'revert-skipped': 'default',
  unjudgeable: 'default',
};

export const OUTCOME_LABELS: Readonly<Record<string, OutcomeLabel>> = Object.fromEntries(
  Object.entries(OUTCOME_WORDS).map(([outcome, words]) => [outcome, { ...words, appearance: OUTCOME_APPEARANCE[outcome] ?? 'default' }]),
);

export function outcomeLabel(outcome: string): OutcomeLabel {
  return OUTCOME_LABELS[outcome] ?? { text: outcome, appearance: 'default', description: '' };
}

export const STATUS_LABELS: Readonly<Record<string, string>> = STATUS_WORDS;

/**
 * A change as "From → To"; a change with only a new value (a rank: "Ranked higher") as that value;
 * a value taken away as "From → (none)". Empty strings count as no value, as Jira writes them so.
 */
export function changeText(row: { fromText: string | null; fromValue: string | null; toText: string | null; toValue: string | null }): string | null {
  const from = row.fromText || row.fromValue || null;
  const to = row.toText || row.toValue || null;
  if (from && to) return `${from} → ${to}`;
  if (to) return to;
  if (from) return `${from} → (none)`;
  return null;
}

/**
 * The nudge for an entry. A refused transition did not happen, so it is not told with the rule's
 * words for a change that was made ("was changed by"): it says what was tried, then the same advice.
 */
export function nudgeText(rule: string, outcome: string): string {
  const message = RULE_CATALOGUE.get(rule as RuleId)?.message ?? 'This went against the Scrum roles set for this project.';
  if (outcome !== 'refused' || rule !== 'status-change') return message;
  const advice = message.replace(/^[^.]*\.\s*/, '');
  return `Someone outside the Developers tried to move this work item to another status, and Jira refused it: nothing changed. ${advice}`;
}
