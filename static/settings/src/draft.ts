/** The settings page's editing logic, apart from the screen so it can be tested on its own. */
import { canBlock, ROLE_KEYS, RULE_CATALOGUE, RULE_IDS, type Mode, type RoleKey, type RuleId } from '../../../src/core/catalogue';
import type { ConfigDocument, RoleMembersDocument } from '../../../src/shared/resolver-api';
import { LIMITS } from '../../kit/limits';

/** The document as the page edits it: the stored shape, replaced (never mutated) on each edit. */
export type ConfigDraft = ConfigDocument;
type RoleMembersDraft = RoleMembersDocument;

function members(raw: Partial<RoleMembersDraft> | undefined): RoleMembersDraft {
  return { users: [...(raw?.users ?? [])], groups: [...(raw?.groups ?? [])], projectRoles: [...(raw?.projectRoles ?? [])] };
}

/** A full draft from a stored (possibly partial) document: every role present, unknown rules dropped. */
export function toDraft(config: Partial<ConfigDraft> | null | undefined): ConfigDraft {
  const roles = {} as Record<RoleKey, RoleMembersDraft>;
  for (const role of ROLE_KEYS) roles[role] = members(config?.roles?.[role]);
  const rules: Partial<Record<RuleId, { mode: Mode }>> = {};
  for (const id of RULE_IDS) {
    const mode = config?.rules?.[id]?.mode;
    if (mode === 'off' || mode === 'flag' || mode === 'block') rules[id] = { mode };
  }
  // The field ids are found by the app on each site; the page keeps them as they are.
  return { version: 1, roles, fields: { ...(config?.fields ?? {}) }, rules };
}

export function modeOf(draft: ConfigDraft, rule: RuleId): Mode {
  return draft.rules[rule]?.mode ?? RULE_CATALOGUE.get(rule)!.defaultMode;
}

/** Sets a rule's mode; a mode equal to the catalogue default is stored explicitly so the choice is kept. */
export function withMode(draft: ConfigDraft, rule: RuleId, mode: Mode): ConfigDraft {
  if (mode === 'block' && !canBlock(rule)) return draft;
  return { ...draft, rules: { ...draft.rules, [rule]: { mode } } };
}

export function withMembers(draft: ConfigDraft, role: RoleKey, kind: keyof RoleMembersDraft, ids: readonly string[]): ConfigDraft {
  return { ...draft, roles: { ...draft.roles, [role]: { ...draft.roles[role], [kind]: [...new Set(ids)] } } };
}

/** Whether two drafts say the same thing (order of members and explicit defaults aside). */
export function sameConfig(a: ConfigDraft, b: ConfigDraft): boolean {
  for (const role of ROLE_KEYS) {
    for (const kind of ['users', 'groups', 'projectRoles'] as const) {
      const left = [...a.roles[role][kind]].sort().join('\n');
      const right = [...b.roles[role][kind]].sort().join('\n');
      if (left !== right) return false;
    }
  }
  return RULE_IDS.every((rule) => modeOf(a, rule) === modeOf(b, rule));
}

/**
 * Where a resolver's complaint belongs on the page: `roles.productOwner.users[3]` is shown next to
 * the Product Owner's people, `rules.backlog-rank.mode` next to that rule's mode, `days` next to the
 * trial run's days. Paths may start with `document.` (a payload path); anything else goes to the
 * page's banner under the key ''.
 */
export function placeIssues(issues: readonly { path: string; message: string }[]): Map<string, string[]> {
  const placed = new Map<string, string[]>();
  const add = (key: string, message: string) => placed.set(key, [...(placed.get(key) ?? []), message]);
  for (const issue of issues) {
    const parts = issue.path
      .replace(/^(document|config)\./, '')
      .replace(/\[\d+\]/g, '')
      .split('.');
    if (parts[0] === 'roles' && parts[1] && (ROLE_KEYS as readonly string[]).includes(parts[1])) {
      const kind = parts[2] === 'groups' || parts[2] === 'projectRoles' ? parts[2] : 'users';
      add(`roles.${parts[1]}.${kind}`, issue.message);
    } else if (parts[0] === 'rules' && parts[1]) {
      add(`rules.${parts[1]}`, issue.message);
    } else if (parts[0] === 'days') {
      add('days', issue.message);
    } else {
      add('', issue.path && issue.path !== '(root)' ? `${issue.path}: ${issue.message}` : issue.message);
    }
  }
  return placed;
}

/** The "Try it first" window: whole days, 1 to the resolver's maximum. */
export function auditDaysError(value: string): string | null {
  if (!/^\d+$/.test(value.trim())) return 'Enter a number of days, such as 14.';
  const days = Number(value.trim());
  if (days < 1 || days > LIMITS.auditMaxDays) return `Choose between 1 and ${LIMITS.auditMaxDays} days.`;
  return null;
}
