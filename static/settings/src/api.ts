/** The settings page's resolvers and the shapes it reads and sends. */
import type { Mode, RoleKey, RuleId } from '../../kit/labels';

export const RESOLVERS = {
  load: 'getSettings',
  preview: 'previewRoles',
  searchUsers: 'searchUsers',
  save: 'saveSettings',
  startAudit: 'startAudit',
  auditStatus: 'getAuditStatus',
} as const;

export type SettingsScope = 'project' | 'site';

export interface RoleMembersDraft {
  users: string[];
  groups: string[];
  projectRoles: string[];
}

/** The config document (version 1) as the page edits it. */
export interface ConfigDraft {
  version: 1;
  roles: Record<RoleKey, RoleMembersDraft>;
  fields?: { rank?: string; estimate?: string; sprint?: string };
  rules: Partial<Record<RuleId, { mode: Mode }>>;
}

export interface Person {
  readonly accountId: string;
  readonly displayName: string;
  readonly avatarUrl?: string | null;
}

export interface NamedGroup {
  readonly groupId: string;
  readonly name: string;
}

export interface NamedProjectRole {
  readonly id: string;
  readonly name: string;
}

export interface ConfigWarningView {
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

export interface SettingsAnswer {
  readonly scope: SettingsScope;
  readonly projectKey: string | null;
  readonly config: ConfigDraft;
  /** null: nothing saved yet (the defaults are shown). */
  readonly revision: number | null;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
  readonly canEdit: boolean;
  readonly people: readonly Person[];
  readonly groups: readonly NamedGroup[];
  readonly projectRoles: readonly NamedProjectRole[];
}

export interface PreviewAnswer {
  readonly resolved: Readonly<Record<RoleKey, readonly string[]>>;
  readonly people: readonly Person[];
  readonly warnings: readonly ConfigWarningView[];
}

export interface SaveAnswer {
  readonly revision: number;
  readonly updatedAt: string;
  readonly warnings: readonly ConfigWarningView[];
}

export interface AuditStatus {
  readonly auditId: string;
  readonly state: 'running' | 'done' | 'failed';
  readonly processed: number;
  readonly total: number;
  readonly error?: string | null;
  readonly byRule: readonly { readonly rule: string; readonly mode: Mode; readonly count: number }[];
  readonly byPerson: readonly { readonly accountId: string; readonly count: number; readonly rules: readonly string[] }[];
  readonly people: readonly Person[];
}
