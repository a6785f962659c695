/**
 * The demo's start state, and putting it back. `scrum-team` is what `npm start` shows a newcomer: the
 * DEMO project's Scrum roles filled in, `backlog-rank` in block mode and every other rule flagging,
 * saved through the app's own settings resolver as the Jira admin would (so the app does what it does
 * on a real save, such as learning the backlog order). `empty` is the project before anyone set it up.
 */
import { RULE_IDS, type Mode, type RuleId } from '../src/core/catalogue';
import { RESOLVER_KEYS, SURFACES, type ConfigDocument, type Surface } from '../src/shared/resolver-api';
import type { SqlEngine } from './forge';
import { PEOPLE } from './jira';
import type { Sandbox } from './sandbox';

export const DEMO_STARTS = ['scrum-team', 'empty'] as const;
export type DemoStart = (typeof DEMO_STARTS)[number];

/** Who saves the demo's settings: the Jira admin. */
export const DEMO_ADMIN = PEOPLE.admin.accountId;

/** The Scrum Team of the demo, as a config document: people named one by one, so the settings page shows each. */
export function scrumTeamDocument(): ConfigDocument {
  const rules: Partial<Record<RuleId, { mode: Mode }>> = {};
  for (const rule of RULE_IDS) rules[rule] = { mode: rule === 'backlog-rank' ? 'block' : 'flag' };
  const people = (...ids: string[]) => ({ users: ids, groups: [], projectRoles: [] });
  return {
    version: 1,
    roles: {
      productOwner: people(PEOPLE.po.accountId),
      scrumMaster: people(PEOPLE.sm.accountId),
      developers: people(PEOPLE.dev1.accountId, PEOPLE.dev2.accountId, PEOPLE.dev3.accountId),
      stakeholders: people(PEOPLE.stakeholder.accountId),
    },
    fields: {},
    rules,
  };
}

/** Calls one of the app's resolver functions as `accountId`, the way a frame of that surface would. */
export async function callAppResolver(sandbox: Sandbox, surface: Surface, functionKey: string, payload: unknown, accountId: string, issueKey?: string): Promise<unknown> {
  const { site, host } = sandbox;
  const module = host.manifest.resolverModules.find((m) => m.moduleType === SURFACES[surface].module);
  if (!module) throw new Error(`the app has no ${SURFACES[surface].module} module`);
  const issue = issueKey ? site.findIssue(issueKey) : undefined;
  return host.invokeResolver(module.key, functionKey, payload, {
    accountId,
    extension: {
      type: SURFACES[surface].module,
      ...(surface === 'admin' ? {} : { project: { id: site.project.id, key: site.project.key, type: 'software' } }),
      ...(issue ? { issue: { id: issue.id, key: issue.key, type: site.issueType(issue.typeId).name } } : {}),
    },
  });
}

interface SettingsAnswer {
  readonly ok: boolean;
  readonly revision?: number | null;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Saves the start's settings unless the project already has some (storage survives a restart). */
export async function applyDemoStart(sandbox: Sandbox, start: DemoStart): Promise<void> {
  if (start === 'empty') return;
  const current = (await callAppResolver(sandbox, 'settings', RESOLVER_KEYS.getProjectSettings, {}, DEMO_ADMIN)) as SettingsAnswer;
  if (!current.ok) throw new Error(`the demo's settings could not be read: ${current.error?.message ?? 'no answer'}`);
  if (current.revision !== null && current.revision !== undefined) return;
  const saved = (await callAppResolver(sandbox, 'settings', RESOLVER_KEYS.saveProjectSettings, { document: scrumTeamDocument(), expectedRevision: null }, DEMO_ADMIN)) as SettingsAnswer;
  if (!saved.ok) throw new Error(`the demo's settings could not be saved: ${saved.error?.message ?? 'no answer'}`);
  await sandbox.host.settle();
}

/** Every row of the app's tables goes; the tables and the record of migrations stay, as the app's warm code knows them. */
async function emptyAppTables(sql: SqlEngine): Promise<void> {
  const listing =
    sql.kind === 'embedded'
      ? "SELECT name AS name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()';
  const answer = await sql.execute(listing, []);
  const rows = Array.isArray(answer.rows) ? answer.rows : [];
  for (const row of rows) {
    const name = String(row['name'] ?? row['NAME'] ?? row['TABLE_NAME'] ?? '');
    if (name === '' || name === '__migrations' || !/^[A-Za-z0-9_]+$/.test(name)) continue;
    await sql.execute(`DELETE FROM ${name}`, []);
  }
}

/**
 * "Reset the demo": Jira's data and the app's storage (KVS and SQL) back to the start the sandbox was
 * started with. What is still on its way (events, retries, queued steps) finishes first.
 */
export async function resetDemo(sandbox: Sandbox): Promise<void> {
  await sandbox.host.settle();
  sandbox.site.reset();
  sandbox.host.kvs.clear();
  await emptyAppTables(sandbox.sql);
  sandbox.refusals.splice(0, sandbox.refusals.length);
  sandbox.host.resetCounters();
  await applyDemoStart(sandbox, sandbox.demo);
}
