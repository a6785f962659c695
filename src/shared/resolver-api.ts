/**
 * The contract between the three Custom UI apps and the backend resolvers: function keys, which
 * surface each one belongs to, what each takes and what each answers.
 *
 * Importable by the UI bundles: its only runtime import is `limits.ts` (plain numbers); the payload
 * types come from the zod schemas in `resolver-schemas.ts` by `import type`, which the bundler erases.
 *
 * Answers. Every function answers an envelope:
 *   `{ ok: true, ...data }`                                     on success (the data sits beside `ok`)
 *   `{ ok: false, error: { code, message, issues, current? } }` on refusal
 * `issues` name the field: for a bad payload the path is inside the payload (`filter.from`); for an
 * invalid config document the path is inside the document (`roles.productOwner.users[0]`), so the
 * settings page can show it next to the field it concerns.
 *
 * Context. The project and the work item are taken from what Forge guarantees about the invoking
 * surface (`context.extension.project`, `context.extension.issue`) and the caller from
 * `context.accountId`; never from a payload.
 */
import type { Mode, RoleKey, RuleId } from '../core/catalogue';
import type { BoundaryIssue } from '../core/issues';
import type { Outcome, ViolationRecord, ViolationStatus } from '../core/violations';
import type { z } from 'zod';
import type * as S from './resolver-schemas';

export type { Mode, RoleKey, RuleId, Outcome, ViolationStatus };
export * from './limits';

// ---------------------------------------------------------------------------------------------
// Surfaces and function keys

/**
 * One @forge/resolver definition per surface: a surface can reach only its own functions. `handler`
 * is the export of src/resolvers/index.ts (re-exported by src/index.ts) that the manifest names.
 */
export const SURFACES = {
  settings: { module: 'jira:projectSettingsPage', handler: 'settingsResolver' },
  admin: { module: 'jira:adminPage', handler: 'adminResolver' },
  issuePanel: { module: 'jira:issueContext', handler: 'issuePanelResolver' },
  violationLog: { module: 'jira:projectPage', handler: 'violationLogResolver' },
} as const;
export type Surface = keyof typeof SURFACES;

/** The queue the audit's steps go through, and the consumer's export. */
export const AUDIT_QUEUE = { queue: 'srg-audit', handler: 'auditConsumer' } as const;

export const RESOLVER_KEYS = {
  // settings page
  getProjectSettings: 'getProjectSettings',
  previewRoles: 'previewRoles',
  saveProjectSettings: 'saveProjectSettings',
  searchPeople: 'searchPeople',
  searchGroups: 'searchGroups',
  listProjectRoles: 'listProjectRoles',
  startAudit: 'startAudit',
  auditProgress: 'auditProgress',
  // admin page
  getSiteDefaults: 'getSiteDefaults',
  saveSiteDefaults: 'saveSiteDefaults',
  // issue panel
  getWorkItemNudges: 'getWorkItemNudges',
  acknowledge: 'acknowledge',
  // violation log
  listViolations: 'listViolations',
  violationCharts: 'violationCharts',
  acknowledgeMany: 'acknowledgeMany',
  exportCsv: 'exportCsv',
} as const;
export type ResolverKey = keyof typeof RESOLVER_KEYS;

/** Which functions each surface's resolver defines. The admin page also searches people and groups. */
export const SURFACE_FUNCTIONS: Readonly<Record<Surface, readonly ResolverKey[]>> = {
  settings: [
    'getProjectSettings',
    'previewRoles',
    'saveProjectSettings',
    'searchPeople',
    'searchGroups',
    'listProjectRoles',
    'startAudit',
    'auditProgress',
  ],
  admin: ['getSiteDefaults', 'saveSiteDefaults', 'previewRoles', 'searchPeople', 'searchGroups'],
  issuePanel: ['getWorkItemNudges', 'acknowledge'],
  violationLog: ['listViolations', 'violationCharts', 'acknowledgeMany', 'exportCsv'],
};

// ---------------------------------------------------------------------------------------------
// The envelope

export type ErrorCode =
  /** The payload did not match its schema; `issues` name the fields. */
  | 'invalid-payload'
  /** The config document is invalid; `issues` name paths inside the document. */
  | 'invalid-config'
  /** The caller lacks the Jira permission or Scrum role this needs. */
  | 'forbidden'
  /** The surface gave no project / work item, or the thing asked for does not exist (or is not visible). */
  | 'not-found'
  /** Someone saved in the meantime; `current` holds what is stored now. */
  | 'conflict'
  /** Jira refused or failed; try again later. */
  | 'jira-unavailable'
  | 'internal';

export interface ResolverFailure {
  readonly ok: false;
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly issues: readonly BoundaryIssue[];
    /** Only with `conflict`: the version saved by someone else, so the page can show both. */
    readonly current?: SettingsSnapshot;
  };
}

export type Answer<T> = ({ readonly ok: true } & T) | ResolverFailure;

// ---------------------------------------------------------------------------------------------
// Shared shapes

/** A person as Jira shows them right now (the app itself stores account ids only). */
export interface Person {
  readonly accountId: string;
  readonly displayName: string;
  readonly avatarUrl: string | null;
  readonly active: boolean;
}

export interface NamedGroup {
  readonly groupId: string;
  readonly name: string;
}

export interface NamedProjectRole {
  readonly id: string;
  readonly name: string;
}

export interface RoleMembersDocument {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly projectRoles: readonly string[];
}

/** The config document (version 1) as stored: every role and the rule modes that were set. */
export interface ConfigDocument {
  readonly version: 1;
  readonly roles: Readonly<Record<RoleKey, RoleMembersDocument>>;
  readonly fields: { readonly rank?: string; readonly estimate?: string; readonly sprint?: string };
  readonly rules: Readonly<Partial<Record<RuleId, { readonly mode: Mode }>>>;
}

export interface ConfigWarningView {
  readonly code: 'po-is-sm' | 'empty-role' | 'status-check-blind' | 'status-check-unpublished' | 'flag-only-here';
  readonly path: string;
  readonly message: string;
}

/** One row of the rule table: the catalogue's words and the mode in effect for this document. */
export interface RuleRow {
  readonly id: RuleId;
  readonly title: string;
  readonly message: string;
  readonly basis: string;
  readonly allowed: readonly RoleKey[];
  readonly defaultMode: Exclude<Mode, 'off'>;
  readonly mode: Mode;
  readonly canBlock: boolean;
  readonly blockMeans: string;
}

/** Everyone each role resolves to (direct users, group members, project role actors). */
export type ResolvedRoles = Readonly<Record<RoleKey, readonly string[]>>;

export interface SettingsSnapshot {
  readonly document: ConfigDocument;
  /** null: nothing saved yet; the document shown is the site default (or the built-in default). */
  readonly revision: number | null;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

export interface SettingsView extends SettingsSnapshot {
  readonly scope: 'project' | 'site';
  readonly projectKey: string | null;
  /** Whether the caller may save (project admin for a project; Jira admin for the site). */
  readonly canEdit: boolean;
  readonly rules: readonly RuleRow[];
  readonly warnings: readonly ConfigWarningView[];
  readonly resolved: ResolvedRoles;
  /** Names for every account, group and project role the document mentions or resolves to. */
  readonly people: readonly Person[];
  readonly groups: readonly NamedGroup[];
  readonly projectRoles: readonly NamedProjectRole[];
}

export interface PreviewView {
  readonly rules: readonly RuleRow[];
  readonly warnings: readonly ConfigWarningView[];
  readonly resolved: ResolvedRoles;
  readonly people: readonly Person[];
}

export interface SaveView {
  readonly revision: number;
  readonly updatedAt: string;
  readonly warnings: readonly ConfigWarningView[];
}

// ---------------------------------------------------------------------------------------------
// The audit ("try it first")

export type AuditState = 'queued' | 'running' | 'done' | 'failed';

/** One thing the rules under test would have flagged (or blocked) in the replayed history. */
export interface AuditFinding {
  readonly at: string;
  readonly issueKey: string | null;
  readonly sprintId: string | null;
  readonly actor: string;
  readonly actorRoles: readonly RoleKey[];
  readonly rule: RuleId;
  readonly mode: Exclude<Mode, 'off'>;
  readonly fromText: string | null;
  readonly toText: string | null;
}

export interface AuditView {
  readonly auditId: string;
  readonly state: AuditState;
  readonly days: number;
  readonly since: string;
  /** Work items whose history has been replayed so far, of all found. */
  readonly processed: number;
  readonly total: number;
  readonly eventsReplayed: number;
  readonly error: string | null;
  readonly byRule: readonly { readonly rule: RuleId; readonly mode: Exclude<Mode, 'off'>; readonly count: number }[];
  readonly byPerson: readonly { readonly accountId: string; readonly roles: readonly RoleKey[]; readonly count: number; readonly rules: readonly RuleId[] }[];
  /** Per active sprint at the time of the change (`sprintId` null: outside any active sprint). */
  readonly bySprint?: readonly { readonly sprintId: string | null; readonly count: number }[];
  /** Newest first, at most AUDIT_MAX_FINDINGS; `findingsTruncated` says when there were more. */
  readonly findings: readonly AuditFinding[];
  readonly findingsTruncated: boolean;
  /** What history could not be judged, and why (e.g. Jira does not record who started a sprint). */
  readonly notJudged: readonly { readonly reason: string; readonly count: number }[];
  readonly people: readonly Person[];
}

// ---------------------------------------------------------------------------------------------
// Violations

/** A log entry as the screens get it: the stored record, less what the surface already knows. */
export type ViolationRow = Omit<ViolationRecord, 'projectKey' | 'issueId'>;

/** What the caller may see and do on the log and the panel. */
export interface Viewer {
  readonly accountId: string;
  readonly roles: readonly RoleKey[];
  /** `all`: Scrum Master, Product Owner, project admin. `own`: only entries where they are the actor. */
  readonly scope: 'all' | 'own';
  readonly canAcknowledge: boolean;
}

export interface WorkItemNudgesView {
  readonly issueKey: string;
  readonly roles: ResolvedRoles;
  readonly violations: readonly ViolationRow[];
  readonly people: readonly Person[];
  readonly viewer: Viewer;
}

export interface AcknowledgeView {
  /** How many entries changed from open to acknowledged (already acknowledged ones are left alone). */
  readonly acknowledged: number;
}

export interface ViolationPageView {
  readonly rows: readonly ViolationRow[];
  readonly nextCursor: string | null;
  /** Matching entries, counted up to 1,000: with `totalIsCapped`, there are more ("1,000+"). */
  readonly total: number;
  readonly totalIsCapped?: boolean;
  readonly people: readonly Person[];
  readonly viewer: Viewer;
}

export interface ChartsView {
  readonly bucket: 'sprint' | 'week';
  /** Buckets oldest first: a sprint id (with its name) or an ISO week start date. */
  readonly buckets: readonly { readonly key: string; readonly label: string }[];
  readonly perRule: readonly { readonly bucket: string; readonly rule: RuleId; readonly count: number }[];
  /** e.g. "the Scrum Master moved 14 items this sprint": a role, a rule, a count, in the latest bucket. */
  readonly topPatterns: readonly { readonly role: RoleKey | 'none'; readonly rule: RuleId; readonly count: number; readonly bucket: string; readonly text: string }[];
  /** Total per bucket, oldest first. */
  readonly trend: readonly { readonly bucket: string; readonly count: number }[];
  readonly viewer: Viewer;
}

export interface CsvView {
  readonly filename: string;
  readonly csv: string;
  readonly rowCount: number;
  /** True when the filter matched more than CSV_MAX_ROWS rows and the file stops there. */
  readonly truncated: boolean;
}

// ---------------------------------------------------------------------------------------------
// Payloads (input types: what the UI sends; defaults may be left out)

export type GetProjectSettingsPayload = z.input<typeof S.getProjectSettingsPayload>;
export type PreviewRolesPayload = z.input<typeof S.previewRolesPayload>;
export type SaveSettingsPayload = z.input<typeof S.saveSettingsPayload>;
export type SearchPayload = z.input<typeof S.searchPayload>;
export type StartAuditPayload = z.input<typeof S.startAuditPayload>;
export type AuditProgressPayload = z.input<typeof S.auditProgressPayload>;
export type AcknowledgePayload = z.input<typeof S.acknowledgePayload>;
export type ViolationFilterPayload = z.input<typeof S.violationFilterSchema>;
export type ViolationSortPayload = z.input<typeof S.violationSortSchema>;
export type ListViolationsPayload = z.input<typeof S.listViolationsPayload>;
export type ViolationChartsPayload = z.input<typeof S.violationChartsPayload>;
export type ExportCsvPayload = z.input<typeof S.exportCsvPayload>;
type Empty = Record<string, never>;

/**
 * Every function: payload in, answer out. Usable with @forge/bridge's `makeInvoke<ResolverDefinitions>()`
 * for a typed `invoke`.
 */
export interface ResolverDefinitions {
  getProjectSettings(payload: Empty): Answer<SettingsView>;
  previewRoles(payload: PreviewRolesPayload): Answer<PreviewView>;
  saveProjectSettings(payload: SaveSettingsPayload): Answer<SaveView>;
  searchPeople(payload: SearchPayload): Answer<{ readonly people: readonly Person[] }>;
  searchGroups(payload: SearchPayload): Answer<{ readonly groups: readonly NamedGroup[] }>;
  listProjectRoles(payload: Empty): Answer<{ readonly projectRoles: readonly NamedProjectRole[] }>;
  startAudit(payload: StartAuditPayload): Answer<AuditView>;
  auditProgress(payload: AuditProgressPayload): Answer<AuditView>;
  getSiteDefaults(payload: Empty): Answer<SettingsView>;
  saveSiteDefaults(payload: SaveSettingsPayload): Answer<SaveView>;
  getWorkItemNudges(payload: Empty): Answer<WorkItemNudgesView>;
  acknowledge(payload: AcknowledgePayload): Answer<AcknowledgeView>;
  listViolations(payload: ListViolationsPayload): Answer<ViolationPageView>;
  violationCharts(payload: ViolationChartsPayload): Answer<ChartsView>;
  acknowledgeMany(payload: AcknowledgePayload): Answer<AcknowledgeView>;
  exportCsv(payload: ExportCsvPayload): Answer<CsvView>;
}

export type PayloadOf<K extends ResolverKey> = Parameters<ResolverDefinitions[K]>[0];
export type AnswerOf<K extends ResolverKey> = ReturnType<ResolverDefinitions[K]>;
export type SuccessOf<K extends ResolverKey> = Extract<AnswerOf<K>, { ok: true }>;
