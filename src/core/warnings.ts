/**
 * The settings warnings: whom or what each concerns, as data, and its words as a function of that
 * data. No zod here (only the catalogue), so the settings page says the same words, naming people
 * as Jira knows them now, while the CLI, which has no names, says their account ids.
 */
import { ROLE_LABELS, type RoleKey } from './catalogue';

export type WarningSubject =
  /** The same person both Product Owner and Scrum Master. */
  | { readonly code: 'po-is-sm'; readonly path: 'roles'; readonly accountIds: readonly string[] }
  /** A Scrum role nobody holds. */
  | { readonly code: 'empty-role'; readonly path: `roles.${RoleKey}`; readonly role: RoleKey }
  /** Status changes let through in block mode because Jira did not say who made them. */
  | { readonly code: 'status-check-blind'; readonly path: 'rules.status-change'; readonly count: number; readonly since: string }
  /** The config is too large for the project property Jira's own status check reads. */
  | { readonly code: 'status-check-unpublished'; readonly path: 'roles' }
  /** A team-managed project: status changes can be flagged there, not refused. */
  | { readonly code: 'flag-only-here'; readonly path: 'rules.status-change' };

/** A warning as the resolvers answer it: its subject, and its words with people named by account id. */
export type ConfigWarning = WarningSubject & { readonly message: string };

export function withWords(subject: WarningSubject): ConfigWarning {
  return { ...subject, message: warningWords(subject) };
}

/** What a warning says; `nameOf` names a person (by default, by account id). */
export function warningWords(warning: WarningSubject, nameOf: (accountId: string) => string = (accountId) => accountId): string {
  switch (warning.code) {
    case 'po-is-sm': {
      const who = warning.accountIds.map(nameOf);
      return `${who.join(' and ')} ${who.length === 1 ? 'is' : 'are'} both Product Owner and Scrum Master; the two accountabilities pull in different directions and are best held by different people`;
    }
    case 'empty-role':
      return `nobody is in ${ROLE_LABELS[warning.role]} yet`;
    case 'status-check-blind':
      return `Jira did not say who made ${warning.count} status change(s) since ${warning.since.slice(0, 10)}, so the app let them through. Add "Scrum Role Guard status rule (by role)" to those transitions: Jira checks it with the person moving the work item`;
    case 'status-check-unpublished':
      return "These settings are too large for the project property Jira's own status check reads (32,768 characters), so that check lets every status change through and status changes cannot be set to block. Name groups or project roles instead of long lists of people";
    case 'flag-only-here':
      return 'This is a team-managed project, whose workflows take no app validators: status changes are flagged after the fact here, not refused';
  }
}
