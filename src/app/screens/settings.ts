/**
 * The settings page and the admin page: read the document with everything the page shows beside it,
 * preview who an unsaved document resolves to, and save with the revision the edit started from.
 */
import { RULE_IDS, RULES, canBlock } from '../../core/catalogue';
import { configWarnings, defaultConfig, parseConfig, type EffectiveConfig, type PlatformFacts, type ProjectConfig } from '../../core/config';
import type { ConfigDocument, NamedGroup, NamedProjectRole, Person, PreviewView, RuleRow, SaveView, SettingsSnapshot, SettingsView } from '../../shared/resolver-api';
import { platformFacts } from '../platform-facts';
import { SITE_DEFAULTS_KEY, type PersonInfo, type StoredConfig } from '../ports';
import { ensureSeeded } from '../rank-order';
import { isProjectAdmin, requireBrowse, requireJiraAdmin, requireProjectAdmin } from './access';
import type { CallerContext } from './context';
import { requireProject } from './context';
import type { ScreenDeps } from './deps';
import { loadDirectory, resolvedRoles } from './directory';
import { ScreenError } from './errors';

export function toDocument(config: ProjectConfig): ConfigDocument {
  return config;
}

export function snapshotOf(stored: StoredConfig | null, fallback: ProjectConfig): SettingsSnapshot {
  return stored
    ? { document: toDocument(stored.document), revision: stored.revision, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy }
    : { document: toDocument(fallback), revision: null, updatedAt: null, updatedBy: null };
}

export function ruleRows(effective: EffectiveConfig): RuleRow[] {
  return RULE_IDS.map((id) => {
    const rule = RULES[id];
    return {
      id,
      title: rule.title,
      message: rule.message,
      basis: rule.basis,
      allowed: [...rule.allowed],
      defaultMode: rule.defaultMode,
      mode: effective.modes[id],
      canBlock: canBlock(id),
      blockMeans: rule.blockMeans,
    };
  });
}

/** Parses a document from a payload; an invalid one answers every bad path inside the document. */
export function parseDocument(document: unknown): { effective: EffectiveConfig } {
  const result = parseConfig(document);
  if (!result.ok) throw new ScreenError('invalid-config', 'Some settings need a look before they can be used.', result.errors);
  return { effective: result.effective };
}

/** The document a project without its own starts from: the site defaults, else the built-in ones. */
async function fallbackFor(deps: ScreenDeps): Promise<ProjectConfig> {
  const site = await deps.configs.get(SITE_DEFAULTS_KEY);
  return site?.document ?? defaultConfig();
}

/** The project's config in effect: its own, else the site's defaults, else the built-in ones. */
export async function projectConfigInEffect(deps: ScreenDeps, projectKey: string): Promise<ProjectConfig> {
  const stored = await deps.configs.get(projectKey);
  return stored?.document ?? (await fallbackFor(deps));
}

function toPerson(info: PersonInfo): Person {
  return { accountId: info.accountId, displayName: info.displayName, avatarUrl: info.avatarUrl, active: info.active };
}

/** Names for everyone in `accountIds`, reusing what the directory already read. */
export async function peopleNamed(deps: Pick<ScreenDeps, 'reads'>, accountIds: Iterable<string>, known: ReadonlyMap<string, PersonInfo> = new Map()): Promise<Person[]> {
  const wanted = [...new Set(accountIds)];
  const missing = wanted.filter((id) => !known.has(id));
  const fetched = missing.length > 0 ? await deps.reads.usersByIds(missing, 'app') : [];
  const all = new Map<string, PersonInfo>([...known, ...fetched.map((p) => [p.accountId, p] as const)]);
  return wanted.flatMap((id) => {
    const info = all.get(id);
    return info ? [toPerson(info)] : [];
  });
}

/** The platform's facts about the project (none for the site defaults, or when they cannot be read). */
async function factsFor(deps: ScreenDeps, projectKey: string | null): Promise<PlatformFacts> {
  if (projectKey === null) return {};
  return platformFacts(projectKey, deps).catch((error: unknown) => {
    console.warn(`platform facts of ${projectKey} not read: ${String(error)}`);
    return {};
  });
}

/** Everything the page shows about a document, with names for everyone in it (and for `alsoName`, such as who saved it). */
async function describe(
  deps: ScreenDeps,
  config: ProjectConfig,
  projectKey: string | null,
  facts: PlatformFacts = {},
  alsoName: readonly (string | null)[] = [],
): Promise<Omit<PreviewView, 'rules'> & { groups: NamedGroup[]; projectRoles: NamedProjectRole[] }> {
  const directory = await loadDirectory(deps.reads, projectKey, config);
  const resolved = resolvedRoles(config, directory);
  const everyone = new Set<string>(Object.values(resolved).flat());
  for (const id of alsoName) if (id !== null) everyone.add(id);
  for (const role of Object.values(config.roles)) for (const id of role.users) everyone.add(id);
  const groupIds = Object.values(config.roles).flatMap((r) => r.groups);
  const [people, groups, roles] = await Promise.all([
    peopleNamed(deps, everyone, directory.people),
    deps.reads.groupsByIds(groupIds),
    projectKey !== null ? deps.reads.projectRoles(projectKey, 'app') : Promise.resolve([]),
  ]);
  return { resolved, warnings: configWarnings(config, resolved, facts), people, groups, projectRoles: roles };
}

export async function getProjectSettings(context: CallerContext, deps: ScreenDeps): Promise<SettingsView> {
  const projectKey = requireProject(context);
  const permissions = await requireBrowse(deps.reads, projectKey);
  const stored = await deps.configs.get(projectKey);
  const snapshot = snapshotOf(stored, await fallbackFor(deps));
  const { effective } = parseDocument(snapshot.document);
  const described = await describe(deps, effective.config, projectKey, await factsFor(deps, projectKey), [snapshot.updatedBy]);
  return { ...snapshot, scope: 'project', projectKey, canEdit: isProjectAdmin(permissions), rules: ruleRows(effective), ...described };
}

export async function getSiteDefaults(context: CallerContext, deps: ScreenDeps): Promise<SettingsView> {
  // The admin page is only shown to Jira admins; reading is refused to others all the same.
  const permissions = await requireJiraAdmin(deps.reads);
  void context;
  const stored = await deps.configs.get(SITE_DEFAULTS_KEY);
  const snapshot = snapshotOf(stored, defaultConfig());
  const { effective } = parseDocument(snapshot.document);
  const described = await describe(deps, effective.config, null, {}, [snapshot.updatedBy]);
  return { ...snapshot, scope: 'site', projectKey: null, canEdit: permissions.ADMINISTER, rules: ruleRows(effective), ...described };
}

/** Who an unsaved document resolves to, and its warnings: the page shows them while editing. */
export async function previewRoles(context: CallerContext, document: unknown, surface: 'project' | 'site', deps: ScreenDeps): Promise<PreviewView> {
  let projectKey: string | null = null;
  if (surface === 'project') {
    projectKey = requireProject(context);
    await requireBrowse(deps.reads, projectKey);
  } else {
    await requireJiraAdmin(deps.reads);
  }
  const { effective } = parseDocument(document);
  const described = await describe(deps, effective.config, projectKey, await factsFor(deps, projectKey));
  return { rules: ruleRows(effective), warnings: described.warnings, resolved: described.resolved, people: described.people };
}

async function withSiteFields(config: ProjectConfig, projectKey: string, deps: ScreenDeps): Promise<ProjectConfig> {
  if (config.fields.rank !== undefined && config.fields.sprint !== undefined && config.fields.estimate !== undefined) return config;
  // Fields the admin did not name are found by their custom type and the project's board (a team-managed
  // project estimates with a field of its own), never by display name.
  const found = await deps.jira.discoverFields(projectKey);
  return { ...config, fields: { ...found, ...config.fields } };
}

async function save(key: string, context: CallerContext, deps: ScreenDeps, document: unknown, expectedRevision: number | null, fallback: ProjectConfig): Promise<SaveView> {
  const { effective } = parseDocument(document);
  const config = key === SITE_DEFAULTS_KEY ? effective.config : await withSiteFields(effective.config, key, deps);
  const result = await deps.configs.save(key, config, expectedRevision, context.accountId, deps.clock.now());
  if (!result.ok) {
    throw new ScreenError(
      'conflict',
      'Someone else saved these settings while you were editing. Your changes are kept here; compare them with the saved version and save again.',
      [],
      snapshotOf(result.current, fallback),
    );
  }
  const { effective: saved } = parseDocument(toDocument(result.stored.document));
  const warnings = configWarnings(saved.config, undefined, await factsFor(deps, key === SITE_DEFAULTS_KEY ? null : key));
  return { revision: result.stored.revision, updatedAt: result.stored.updatedAt, warnings };
}

export async function saveProjectSettings(context: CallerContext, deps: ScreenDeps, document: unknown, expectedRevision: number | null): Promise<SaveView> {
  const projectKey = requireProject(context);
  await requireProjectAdmin(deps.reads, projectKey);
  const saved = await save(projectKey, context, deps, document, expectedRevision, await fallbackFor(deps));
  await learnRankOrder(projectKey, deps);
  return saved;
}

/**
 * Rank rules can only move an item back if the app knew the order before the move, so the order is
 * learnt as soon as a project is configured rather than at the first move. Best effort: when Jira
 * does not answer now, the first rank event learns it instead.
 */
async function learnRankOrder(projectKey: string, deps: ScreenDeps): Promise<void> {
  try {
    const stored = await deps.configs.get(projectKey);
    const rankField = stored?.document.fields.rank;
    if (rankField !== undefined) await ensureSeeded(projectKey, rankField, deps);
  } catch (error) {
    console.warn(`The rank order of ${projectKey} will be learnt at the first rank event: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function saveSiteDefaults(context: CallerContext, deps: ScreenDeps, document: unknown, expectedRevision: number | null): Promise<SaveView> {
  await requireJiraAdmin(deps.reads);
  return save(SITE_DEFAULTS_KEY, context, deps, document, expectedRevision, defaultConfig());
}

/** Exposed for the people and group pickers: the caller must at least see the project (or be a Jira admin). */
export async function requirePickerAccess(context: CallerContext, surface: 'project' | 'site', deps: Pick<ScreenDeps, 'reads'>): Promise<void> {
  if (surface === 'site') {
    await requireJiraAdmin(deps.reads);
    return;
  }
  await requireBrowse(deps.reads, requireProject(context));
}
