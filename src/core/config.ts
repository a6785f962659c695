/**
 * The project config (version 1): who holds which Scrum role, where the site keeps its rank, estimate
 * and sprint fields, and each rule's mode. The same document is stored per project by the app and
 * read by `scrum-guard check`.
 */
import { z } from 'zod';
import { canBlock, isRuleId, MODES, ROLE_KEYS, RULE_IDS, RULES, type Mode, type RoleKey, type RuleId } from './catalogue';
import { formatIssues, objectError, type BoundaryIssue } from './issues';
import { withWords, type ConfigWarning } from './warnings';

export type { ConfigWarning };

/** Enough for any real team; keeps one stored document well inside Forge's KVS value limit. */
export const MAX_MEMBERS_PER_LIST = 2000;

const accountId = z
  .string({ error: 'expected an account id (a string)' })
  .min(1, { error: 'expected a non-empty account id' })
  .max(128, { error: 'expected an account id of at most 128 characters' })
  .regex(/^[A-Za-z0-9:_-]+$/, { error: 'expected an Atlassian account id (letters, digits, ":", "_" or "-")' });

const groupId = z
  .string({ error: 'expected a group id (a string)' })
  .min(1, { error: 'expected a non-empty group id' })
  .max(128, { error: 'expected a group id of at most 128 characters' })
  .regex(/^[A-Za-z0-9:_-]+$/, { error: 'expected a Jira group id (letters, digits, ":", "_" or "-")' });

const projectRoleId = z
  .string({ error: 'expected a project role id (a string of digits)' })
  .regex(/^\d{1,19}$/, { error: 'expected a project role id (a string of digits)' });

function memberList<T extends z.ZodType<string>>(item: T, what: string) {
  return z.array(item, { error: `expected a list of ${what}` }).max(MAX_MEMBERS_PER_LIST, {
    error: `expected at most ${MAX_MEMBERS_PER_LIST} ${what}; name a group or project role instead`,
  });
}

export const roleMembersSchema = z.strictObject(
  {
    users: memberList(accountId, 'account ids'),
    groups: memberList(groupId, 'group ids').default([]),
    projectRoles: memberList(projectRoleId, 'project role ids').default([]),
  },
  { error: objectError('expected an object with "users" and optionally "groups" and "projectRoles"', ['users', 'groups', 'projectRoles']) },
);
export type RoleMembers = z.infer<typeof roleMembersSchema>;

const emptyRole = (): RoleMembers => ({ users: [], groups: [], projectRoles: [] });

const fieldId = z
  .string({ error: 'expected a Jira field id such as "customfield_10019"' })
  .regex(/^(customfield_\d{1,19}|[a-z][A-Za-z0-9_]{0,63})$/, { error: 'expected a Jira field id such as "customfield_10019"' });

const ruleSetting = z.strictObject(
  { mode: z.enum(MODES, { error: 'expected "off", "flag" or "block"' }) },
  { error: objectError('expected an object such as { "mode": "flag" }', ['mode']) },
);

export const projectConfigSchema = z
  .strictObject(
    {
      version: z.literal(1, { error: 'expected 1 (the only config version there is)' }),
      roles: z.strictObject(
        {
          productOwner: roleMembersSchema.default(emptyRole),
          scrumMaster: roleMembersSchema.default(emptyRole),
          developers: roleMembersSchema.default(emptyRole),
          stakeholders: roleMembersSchema.default(emptyRole),
        },
        { error: objectError(`expected an object with the role keys ${ROLE_KEYS.join(', ')}`, ROLE_KEYS) },
      ),
      fields: z
        .strictObject(
          { rank: fieldId.optional(), estimate: fieldId.optional(), sprint: fieldId.optional() },
          { error: objectError('expected an object with "rank", "estimate" and "sprint" field ids', ['rank', 'estimate', 'sprint']) },
        )
        .default({}),
      rules: z
        .record(z.string(), ruleSetting, { error: 'expected an object of rule ids' })
        .default({})
        .superRefine((rules, ctx) => {
          for (const [id, setting] of Object.entries(rules)) {
            if (!isRuleId(id)) {
              ctx.addIssue({ code: 'custom', path: [id], message: `unknown rule id; expected one of ${RULE_IDS.join(', ')}` });
            } else if (setting.mode === 'block' && !canBlock(id)) {
              ctx.addIssue({
                code: 'custom',
                path: [id, 'mode'],
                message: `rule "${id}" cannot block (${RULES[id].blockMeans}); expected "off" or "flag"`,
              });
            }
          }
        }),
    },
    { error: objectError('expected a config object', ['version', 'roles', 'fields', 'rules']) },
  );

export type ProjectConfig = z.infer<typeof projectConfigSchema>;
export type ProjectConfigInput = z.input<typeof projectConfigSchema>;

/** A parsed config with every rule's mode filled in from the catalogue. */
export interface EffectiveConfig {
  readonly config: ProjectConfig;
  readonly modes: Readonly<Record<RuleId, Mode>>;
}

/** What the platform tells about a project, beyond its config: the settings page warns about it. */
export interface PlatformFacts {
  /** Status changes the app's function validator let through because Jira named nobody (block mode). */
  readonly unknownActors?: { readonly count: number; readonly since: string } | null;
  /** The config is too large for the project property Jira's expression validator reads. */
  readonly publishedTooLarge?: boolean;
  /** The project is team-managed: its workflows take no app validators. */
  readonly teamManaged?: boolean;
}

export type ConfigResult =
  | { readonly ok: true; readonly effective: EffectiveConfig; readonly warnings: readonly ConfigWarning[] }
  | { readonly ok: false; readonly errors: readonly BoundaryIssue[] };

export function parseConfig(input: unknown): ConfigResult {
  const parsed = projectConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error.issues) };
  const effective = effectiveConfig(parsed.data);
  return { ok: true, effective, warnings: configWarnings(parsed.data) };
}

/** Parses or throws an error whose message names every bad path. */
export function parseConfigOrThrow(input: unknown): EffectiveConfig {
  const result = parseConfig(input);
  if (!result.ok) throw new ConfigError(result.errors);
  return result.effective;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly BoundaryIssue[]) {
    super(`invalid config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function effectiveConfig(config: ProjectConfig): EffectiveConfig {
  const modes = {} as Record<RuleId, Mode>;
  for (const id of RULE_IDS) {
    modes[id] = config.rules[id]?.mode ?? RULES[id].defaultMode;
  }
  return { config, modes };
}

/** The config every project starts from: nobody in any role, every rule at its default mode. */
export function defaultConfig(): ProjectConfig {
  return projectConfigSchema.parse({ version: 1, roles: {} });
}

/**
 * Checks that are worth a word on the settings page but do not stop a save. With a resolved
 * directory (who each role really resolves to) the checks see through groups and project roles.
 */
export function configWarnings(config: ProjectConfig, resolved?: Readonly<Record<RoleKey, readonly string[]>>, platform: PlatformFacts = {}): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const blocksStatus = effectiveConfig(config).modes['status-change'] === 'block';
  if (blocksStatus && platform.teamManaged) {
    warnings.push(withWords({ code: 'flag-only-here', path: 'rules.status-change' }));
  } else if (blocksStatus && platform.unknownActors && platform.unknownActors.count > 0) {
    const { count, since } = platform.unknownActors;
    warnings.push(withWords({ code: 'status-check-blind', path: 'rules.status-change', count, since }));
  }
  if (platform.publishedTooLarge) {
    warnings.push(withWords({ code: 'status-check-unpublished', path: 'roles' }));
  }
  const po = new Set(resolved?.productOwner ?? config.roles.productOwner.users);
  const sm = resolved?.scrumMaster ?? config.roles.scrumMaster.users;
  for (const id of new Set(sm)) {
    if (po.has(id)) warnings.push(withWords({ code: 'po-is-sm', path: 'roles', accountIds: [id] }));
  }
  for (const role of ROLE_KEYS) {
    const members = config.roles[role];
    const empty = resolved
      ? (resolved[role] ?? []).length === 0
      : members.users.length === 0 && members.groups.length === 0 && members.projectRoles.length === 0;
    if (empty) warnings.push(withWords({ code: 'empty-role', path: `roles.${role}`, role }));
  }
  return warnings;
}

export { formatIssues };
