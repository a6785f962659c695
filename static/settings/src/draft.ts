/** The settings page's editing logic and its state, apart from the screen so they can be tested on their own. */
import { canBlock, ROLE_KEYS, ROLE_LABELS, RULE_IDS, RULES, type Mode, type RoleKey, type RuleId } from '../../../src/core/catalogue';
import type { AuditView, ConfigDocument, ResolverFailure, RoleMembersDocument, SettingsSnapshot } from '../../../src/shared/resolver-api';
import { ResolverError } from '../../kit/bridge-pure';
import { errorText } from '../../kit/components/error-banner';
import { plural } from '../../kit/format';
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
  return draft.rules[rule]?.mode ?? RULES[rule].defaultMode;
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

// ---------------------------------------------------------------------------------------------
// The page's state: the draft against what is saved, the save and its outcomes, the tab shown.

export type SettingsTab = 'roles' | 'rules' | 'try';

/** What is stored, as the page last knew it. */
export interface SavedSettings {
  readonly config: ConfigDraft;
  readonly revision: number | null;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

export interface SettingsState {
  readonly saved: SavedSettings;
  readonly draft: ConfigDraft;
  /** After a save refused as a conflict: the version someone else saved in the meantime. */
  readonly theirs: SettingsSnapshot | null;
  readonly tab: SettingsTab;
  readonly saving: boolean;
  /** A failed save that is neither a conflict nor a complaint about fields. */
  readonly saveError: unknown;
  /** The resolver's complaints about the last save, placed by `placeIssues`. */
  readonly issues: ReadonlyMap<string, readonly string[]>;
  /** What the live region reads out. */
  readonly announcement: string;
}

export type SettingsAction =
  | { readonly type: 'edit'; readonly draft: ConfigDraft }
  /** A suggested role taken into the draft: its people in place of the ones named (groups and project roles stay). */
  | { readonly type: 'use-suggestion'; readonly role: RoleKey; readonly accountIds: readonly string[] }
  | { readonly type: 'discard' }
  | { readonly type: 'select-tab'; readonly tab: SettingsTab }
  | { readonly type: 'save-started' }
  /** `config`: the draft that was sent, which edits made while saving may have moved on from. */
  | { readonly type: 'saved'; readonly config: ConfigDraft; readonly revision: number; readonly updatedAt: string; readonly updatedBy: string | null }
  | { readonly type: 'save-failed'; readonly failure: unknown }
  | { readonly type: 'load-theirs' };

function savedFrom(snapshot: SettingsSnapshot): SavedSettings {
  return { config: toDraft(snapshot.document), revision: snapshot.revision, updatedAt: snapshot.updatedAt, updatedBy: snapshot.updatedBy };
}

export function initialSettings(view: SettingsSnapshot): SettingsState {
  const saved = savedFrom(view);
  return { saved, draft: saved.config, theirs: null, tab: 'roles', saving: false, saveError: null, issues: new Map(), announcement: '' };
}

/** An edit, a discard or their version loaded: the complaints about the old draft go. */
function withDraft(state: SettingsState, draft: ConfigDraft): SettingsState {
  return { ...state, draft, issues: new Map() };
}

export function settingsReducer(state: SettingsState, action: SettingsAction): SettingsState {
  switch (action.type) {
    case 'edit':
      return withDraft(state, action.draft);
    case 'use-suggestion':
      return {
        ...withDraft(state, withMembers(state.draft, action.role, 'users', action.accountIds)),
        announcement: `The suggestion for ${ROLE_LABELS[action.role]} is in your changes. Nothing is saved until you save.`,
      };
    case 'discard':
      return { ...withDraft(state, state.saved.config), announcement: 'Your changes were discarded.' };
    case 'select-tab':
      return { ...state, tab: action.tab };
    case 'save-started':
      return { ...state, saving: true, saveError: null };
    case 'saved':
      return {
        ...state,
        saving: false,
        saved: { config: action.config, revision: action.revision, updatedAt: action.updatedAt, updatedBy: action.updatedBy },
        theirs: null,
        issues: new Map(),
        announcement: 'Settings saved.',
      };
    case 'save-failed':
      return { ...saveFailed(state, action.failure), saving: false };
    case 'load-theirs':
      if (!state.theirs) return state;
      return {
        ...withDraft(state, toDraft(state.theirs.document)),
        saved: savedFrom(state.theirs),
        theirs: null,
        announcement: 'Their version is loaded; your changes were set aside.',
      };
  }
}

function saveFailed(state: SettingsState, failure: unknown): SettingsState {
  if (failure instanceof ResolverError && failure.code === 'conflict') {
    // Keep what was typed; remember the version that won so "save mine anyway" is a deliberate choice.
    const current = (failure.details as ResolverFailure | undefined)?.error?.current;
    return {
      ...state,
      theirs: current ?? { document: state.saved.config, revision: null, updatedAt: null, updatedBy: null },
      announcement: 'Not saved: someone else saved these settings in the meantime. Your changes are still here.',
    };
  }
  if (failure instanceof ResolverError && failure.issues.length > 0) {
    const issues = placeIssues(failure.issues);
    const keys = [...issues.keys()];
    const tab = keys.some((k) => k.startsWith('rules.')) ? 'rules' : keys.some((k) => k.startsWith('roles.')) ? 'roles' : state.tab;
    return { ...state, issues, tab, announcement: `Not saved: ${plural(failure.issues.length, 'problem')} to fix, shown next to the fields.` };
  }
  return { ...state, saveError: failure, announcement: `Not saved: ${errorText(failure)}` };
}

// ---------------------------------------------------------------------------------------------
// "Try it first": the days asked for, the run's progress, and what went wrong.

export interface TrialState {
  readonly days: string;
  readonly daysError: string | null;
  readonly starting: boolean;
  /** The run as last reported, from its start to done or failed. */
  readonly status: AuditView | null;
  readonly error: unknown;
}

export type TrialAction =
  | { readonly type: 'days'; readonly days: string }
  | { readonly type: 'days-refused'; readonly message: string }
  | { readonly type: 'start' }
  | { readonly type: 'progress'; readonly status: AuditView }
  | { readonly type: 'failed'; readonly failure: unknown };

export const INITIAL_TRIAL: TrialState = { days: String(LIMITS.auditDefaultDays), daysError: null, starting: false, status: null, error: null };

/** Whether the run is still going, so the page asks again. */
export function trialRunning(status: AuditView | null): boolean {
  return status?.state === 'running' || status?.state === 'queued';
}

export function trialReducer(state: TrialState, action: TrialAction): TrialState {
  switch (action.type) {
    case 'days':
      return { ...state, days: action.days };
    case 'days-refused':
      return { ...state, daysError: action.message, starting: false };
    case 'start':
      return { ...state, daysError: null, starting: true, error: null, status: null };
    case 'progress':
      return { ...state, status: action.status, starting: false };
    case 'failed': {
      // The resolver's complaint about the days goes next to them; anything else is a failed run.
      const days = action.failure instanceof ResolverError ? placeIssues(action.failure.issues).get('days') : undefined;
      if (days) return { ...state, daysError: days.join(' '), starting: false };
      return { ...state, error: action.failure, starting: false };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// "Suggest roles": which run is shown, and what the admin decided about each role's suggestion.

export type SuggestionDecision = 'used' | 'dismissed';

export interface SuggestState {
  /** 0 before the first run; each run is counted so a new one starts afresh. */
  readonly run: number;
  readonly decided: Readonly<Partial<Record<RoleKey, SuggestionDecision>>>;
}

export const INITIAL_SUGGEST: SuggestState = { run: 0, decided: {} };

export type SuggestAction = { readonly type: 'suggest' } | { readonly type: 'decide'; readonly role: RoleKey; readonly decision: SuggestionDecision };

export function suggestReducer(state: SuggestState, action: SuggestAction): SuggestState {
  switch (action.type) {
    case 'suggest':
      return { run: state.run + 1, decided: {} };
    case 'decide':
      return { ...state, decided: { ...state.decided, [action.role]: action.decision } };
  }
}
