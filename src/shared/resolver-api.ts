/**
 * The contract between the three Custom UI apps and the backend resolvers: one entry per function in
 * RESOLVER_CONTRACT says which surfaces define it, the zod schema its payload must pass and what it
 * answers. Everything else is derived from that object: the function keys, each surface's function
 * list, the server's handler types (src/resolvers/define.ts) and the pages' typed `call`
 * (static/kit/contract.ts).
 *
 * The UI bundles import this file with `import type` only (the lint refuses a value import from
 * static/): the contract holds the zod schemas, and zod stays out of the pages.
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
import type { Accountability, HealthBucket } from '../core/accountability';
import type { Mode, RoleKey, RuleId } from '../core/catalogue';
import type { ProjectConfig } from '../core/config';
import type { ConfigWarning } from '../core/warnings';
import type { RoleCharter } from '../core/role-charter';
import type { BoundaryIssue } from '../core/issues';
import type { Outcome, ViolationRecord, ViolationStatus } from '../core/violations';
import type { z } from 'zod';
import * as S from './resolver-schemas';

export type { Mode, RoleKey, RuleId, Outcome, ViolationStatus, Accountability, HealthBucket };

// ---------------------------------------------------------------------------------------------
// Surfaces

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

// ---------------------------------------------------------------------------------------------
// The contract

declare const answerType: unique symbol;
/** What a function answers on success, known to the compiler only (nothing of it exists at run time). */
export interface Returns<T extends object> {
  readonly [answerType]?: T;
}
const returns = <T extends object>(): Returns<T> => ({});

/** One resolver function. */
export interface FunctionContract {
  /** The surfaces whose resolver defines it (at least one). */
  readonly surfaces: readonly [Surface, ...Surface[]];
  /** What the payload must pass on the server; its input type is what a page may send. */
  readonly payload: z.ZodType<object, object>;
  readonly answer: Returns<object>;
}

export const RESOLVER_CONTRACT = {
  // settings page; the admin page shares the pickers and the preview
  getProjectSettings: { surfaces: ['settings'], payload: S.noPayload, answer: returns<SettingsView>() },
  previewRoles: { surfaces: ['settings', 'admin'], payload: S.previewRolesPayload, answer: returns<PreviewView>() },
  saveProjectSettings: { surfaces: ['settings'], payload: S.saveSettingsPayload, answer: returns<SaveView>() },
  searchPeople: { surfaces: ['settings', 'admin'], payload: S.searchPayload, answer: returns<{ readonly people: readonly Person[] }>() },
  searchGroups: { surfaces: ['settings', 'admin'], payload: S.searchPayload, answer: returns<{ readonly groups: readonly NamedGroup[] }>() },
  listProjectRoles: { surfaces: ['settings'], payload: S.noPayload, answer: returns<{ readonly projectRoles: readonly NamedProjectRole[] }>() },
  startAudit: { surfaces: ['settings'], payload: S.startAuditPayload, answer: returns<AuditView>() },
  auditProgress: { surfaces: ['settings'], payload: S.auditProgressPayload, answer: returns<AuditView>() },
  suggestRoles: { surfaces: ['settings'], payload: S.suggestRolesPayload, answer: returns<RoleSuggestionView>() },
  // admin page
  getSiteDefaults: { surfaces: ['admin'], payload: S.noPayload, answer: returns<SettingsView>() },
  saveSiteDefaults: { surfaces: ['admin'], payload: S.saveSettingsPayload, answer: returns<SaveView>() },
  // issue panel
  getWorkItemNudges: { surfaces: ['issuePanel'], payload: S.noPayload, answer: returns<WorkItemNudgesView>() },
  acknowledge: { surfaces: ['issuePanel'], payload: S.acknowledgePayload, answer: returns<AcknowledgeView>() },
  // violation log
  listViolations: { surfaces: ['violationLog'], payload: S.listViolationsPayload, answer: returns<ViolationPageView>() },
  violationCharts: { surfaces: ['violationLog'], payload: S.violationChartsPayload, answer: returns<ChartsView>() },
  acknowledgeMany: { surfaces: ['violationLog'], payload: S.acknowledgePayload, answer: returns<AcknowledgeView>() },
  exportCsv: { surfaces: ['violationLog'], payload: S.exportCsvPayload, answer: returns<CsvView>() },
  roleHealth: { surfaces: ['violationLog'], payload: S.roleHealthPayload, answer: returns<RoleHealthView>() },
  roleHealthChanges: {
    surfaces: ['violationLog'],
    payload: S.roleHealthChangesPayload,
    answer: returns<{ readonly changes: readonly HealthChangeView[]; readonly next: string | null }>(),
  },
  getRoleCharter: { surfaces: ['violationLog'], payload: S.noPayload, answer: returns<RoleCharterView>() },
} as const satisfies Readonly<Record<string, FunctionContract>>;

type Contract = typeof RESOLVER_CONTRACT;
export type ResolverKey = keyof Contract;
/** The functions a surface's resolver defines. */
export type FunctionOf<S extends Surface> = { [K in ResolverKey]: S extends Contract[K]['surfaces'][number] ? K : never }[ResolverKey];
/** What a page sends (defaults may be left out). */
export type PayloadOf<K extends ResolverKey> = z.input<Contract[K]['payload']>;
/** What the handler gets: the payload as its schema parsed it, defaults filled in. */
export type ParsedPayloadOf<K extends ResolverKey> = z.output<Contract[K]['payload']>;
/** What the handler answers, and a page gets beside `ok: true`. */
export type DataOf<K extends ResolverKey> = Contract[K]['answer'] extends Returns<infer T> ? T : never;
export type AnswerOf<K extends ResolverKey> = Answer<DataOf<K>>;
export type SuccessOf<K extends ResolverKey> = Extract<AnswerOf<K>, { ok: true }>;

const FUNCTION_KEYS = Object.keys(RESOLVER_CONTRACT) as ResolverKey[];

/** Every function key, by name (`RESOLVER_KEYS.listViolations === 'listViolations'`). */
export const RESOLVER_KEYS = Object.fromEntries(FUNCTION_KEYS.map((key) => [key, key])) as { readonly [K in ResolverKey]: K };

function functionsOf<S extends Surface>(surface: S): readonly FunctionOf<S>[] {
  return FUNCTION_KEYS.filter((key): key is FunctionOf<S> => (RESOLVER_CONTRACT[key].surfaces as readonly Surface[]).includes(surface));
}

/** The functions each surface's resolver defines, in the contract's order. */
export const SURFACE_FUNCTIONS: { readonly [S in Surface]: readonly FunctionOf<S>[] } = {
  settings: functionsOf('settings'),
  admin: functionsOf('admin'),
  issuePanel: functionsOf('issuePanel'),
  violationLog: functionsOf('violationLog'),
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

type DeepReadonly<T> = T extends readonly (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** The config document (version 1) as stored: the core's config, read-only, its rules keyed by rule id. */
export type ConfigDocument = DeepReadonly<Omit<ProjectConfig, 'rules'> & { rules: Partial<Record<RuleId, ProjectConfig['rules'][string]>> }>;
export type RoleMembersDocument = ConfigDocument['roles'][RoleKey];

/** A warning as the core builds it: a code, a path, whom or what it concerns as data, and its words. */
export type ConfigWarningView = ConfigWarning;

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
// Role health, the role charter and role suggestions

export interface RoleHealthView {
  readonly state: 'computing' | 'ready' | 'failed';
  /** Work items replayed so far / to replay in this computation (null when nothing is being computed). */
  readonly progress: { readonly done: number; readonly total: number } | null;
  readonly error: string | null;
  /** ISO, when the figures shown were computed. */
  readonly computedAt: string | null;
  /** Oldest first, at most `sprints`; empty while nothing is computed. */
  readonly sprints: readonly RoleHealthSprintView[];
  /** Names for accounts in drill-downs. */
  readonly people: readonly Person[];
}

export interface RoleHealthSprintView {
  readonly id: string;
  readonly name: string;
  readonly state: 'active' | 'closed';
  readonly startDate: string | null;
  readonly endDate: string | null;
  /** Counts per accountability and bucket (every accountability and bucket present, zeros included). */
  readonly actions: Readonly<Record<Accountability, Readonly<Record<HealthBucket, number>>>>;
  /** Cells where work sits with a role the Scrum Guide gives it elsewhere, count > 0 only. */
  readonly offRole: readonly OffRoleCellView[];
  /** The Scrum Master's clerical work in this sprint: status updates, creating items or sub-tasks, assigning, estimating of the team's items. */
  readonly clerical: { readonly count: number; readonly byAccountability: Readonly<Partial<Record<Accountability, number>>> };
}

export interface OffRoleCellView {
  readonly accountability: Accountability;
  readonly bucket: HealthBucket;
  readonly count: number;
  /** Share of that accountability's changes in the sprint, 0..1. */
  readonly share: number;
  /** Coaching tone, from the catalogue rule (who it belongs to and why). */
  readonly reason: string;
}

export interface HealthChangeView {
  readonly at: string;
  readonly issueKey: string;
  /** Account id. */
  readonly actor: string;
  /** What changed, e.g. "Status: To Do → In Progress", "Ranked higher", "Created". */
  readonly summary: string;
}

/** The charter as the core builds it (src/core/role-charter.ts), sent whole. */
export type RoleCharterView = RoleCharter;

export interface RoleSuggestionView {
  readonly state: 'computing' | 'ready' | 'failed';
  readonly progress: { readonly done: number; readonly total: number } | null;
  readonly error: string | null;
  readonly days: number;
  readonly suggestions: readonly {
    readonly role: RoleKey;
    readonly accountIds: readonly string[];
    /** `why`, e.g. "ordered the backlog 23 times of 25 (92%)". */
    readonly reasons: readonly { readonly accountId: string; readonly why: string }[];
  }[];
  readonly people: readonly Person[];
}

// ---------------------------------------------------------------------------------------------
// Payloads the pages build in parts

export type ViolationFilterPayload = z.input<typeof S.violationFilterSchema>;
export type ViolationSortPayload = z.input<typeof S.violationSortSchema>;
