/**
 * The Custom UI resolvers, one per surface, so a frame can reach only its own functions
 * (SURFACE_FUNCTIONS in the contract), and the audit's queue consumer. They only wire: payload
 * schema in, service call, envelope out.
 */
import Resolver from '@forge/resolver';
import { auditProgress, failAudit, runAuditStep, startAudit } from '../app/screens/audit-runner';
import { requireBrowse } from '../app/screens/access';
import { requireProject, type CallerContext } from '../app/screens/context';
import { projectRoles, searchGroups, searchUsers } from '../app/screens/jira-reads';
import * as settings from '../app/screens/settings';
import * as violations from '../app/screens/violations';
import * as S from '../shared/resolver-schemas';
import { ensureSeeded } from '../app/rank-order';
import { enforcementDeps } from '../entry/deps';
import { defineFunction } from './define';
import { screenPorts } from './ports';

/**
 * Rank rules can only put an item back if the app knew the order before the move, so the order is
 * learnt as soon as a project is configured rather than at the first move. Best effort: when Jira
 * does not answer now, the first rank event learns it instead.
 */
async function learnRankOrder(projectKey: string): Promise<void> {
  try {
    const stored = await screenPorts().configs.get(projectKey);
    const rankField = stored?.document.fields.rank;
    if (rankField !== undefined) await ensureSeeded(projectKey, rankField, enforcementDeps());
  } catch (error) {
    console.warn(`The rank order of ${projectKey} will be learnt at the first rank event: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function pickers(resolver: Resolver, surface: 'project' | 'site'): void {
  defineFunction(resolver, 'searchPeople', S.searchPayload, async ({ query }, context: CallerContext) => {
    await settings.requirePickerAccess(context, surface);
    const people = await searchUsers(query);
    return { people: people.map((p) => ({ accountId: p.accountId, displayName: p.displayName, avatarUrl: p.avatarUrl, active: p.active })) };
  });
  defineFunction(resolver, 'searchGroups', S.searchPayload, async ({ query }, context) => {
    await settings.requirePickerAccess(context, surface);
    return { groups: await searchGroups(query) };
  });
  defineFunction(resolver, 'previewRoles', S.previewRolesPayload, ({ document }, context) => settings.previewRoles(context, document, surface, screenPorts()));
}

function buildSettingsResolver(): Resolver {
  const resolver = new Resolver();
  defineFunction(resolver, 'getProjectSettings', S.getProjectSettingsPayload, (_payload, context) => settings.getProjectSettings(context, screenPorts()));
  defineFunction(resolver, 'saveProjectSettings', S.saveSettingsPayload, async ({ document, expectedRevision }, context) => {
    const saved = await settings.saveProjectSettings(context, screenPorts(), document, expectedRevision);
    await learnRankOrder(requireProject(context));
    return saved;
  });
  pickers(resolver, 'project');
  defineFunction(resolver, 'listProjectRoles', S.listProjectRolesPayload, async (_payload, context) => {
    const projectKey = requireProject(context);
    await requireBrowse(projectKey);
    // Read as the app: Jira shows a project's roles to project admins only, and pickers need them earlier.
    return { projectRoles: await projectRoles(projectKey, 'app') };
  });
  defineFunction(resolver, 'startAudit', S.startAuditPayload, ({ document, days }, context) => startAudit(context, screenPorts().clock, document, days));
  defineFunction(resolver, 'auditProgress', S.auditProgressPayload, ({ auditId }, context) => auditProgress(context, auditId));
  return resolver;
}

function buildAdminResolver(): Resolver {
  const resolver = new Resolver();
  defineFunction(resolver, 'getSiteDefaults', S.getSiteDefaultsPayload, (_payload, context) => settings.getSiteDefaults(context, screenPorts()));
  defineFunction(resolver, 'saveSiteDefaults', S.saveSettingsPayload, ({ document, expectedRevision }, context) =>
    settings.saveSiteDefaults(context, screenPorts(), document, expectedRevision),
  );
  pickers(resolver, 'site');
  return resolver;
}

function buildIssuePanelResolver(): Resolver {
  const resolver = new Resolver();
  defineFunction(resolver, 'getWorkItemNudges', S.getWorkItemNudgesPayload, (_payload, context) => violations.getWorkItemNudges(context, screenPorts()));
  defineFunction(resolver, 'acknowledge', S.acknowledgePayload, ({ ids, note }, context) => violations.acknowledgeOnWorkItem(context, screenPorts(), ids, note));
  return resolver;
}

function buildViolationLogResolver(): Resolver {
  const resolver = new Resolver();
  defineFunction(resolver, 'listViolations', S.listViolationsPayload, (request, context) => violations.listViolations(context, screenPorts(), request));
  defineFunction(resolver, 'violationCharts', S.violationChartsPayload, ({ filter, bucket }, context) => violations.violationCharts(context, screenPorts(), filter, bucket));
  defineFunction(resolver, 'acknowledgeMany', S.acknowledgeManyPayload, ({ ids, note }, context) => violations.acknowledgeMany(context, screenPorts(), ids, note));
  defineFunction(resolver, 'exportCsv', S.exportCsvPayload, ({ filter, sort }, context) => violations.exportCsv(context, screenPorts(), filter, sort));
  return resolver;
}

export const settingsResolver = buildSettingsResolver().getDefinitions();
export const adminResolver = buildAdminResolver().getDefinitions();
export const issuePanelResolver = buildIssuePanelResolver().getDefinitions();
export const violationLogResolver = buildViolationLogResolver().getDefinitions();

/** Forge retries a failing consumer; after the last try the audit is marked failed so the page stops waiting. */
const LAST_RETRY = 4;

export async function auditConsumer(event: { body?: unknown; retryContext?: { retryCount?: number } }): Promise<void> {
  try {
    await runAuditStep(event.body);
  } catch (error) {
    if ((event.retryContext?.retryCount ?? 0) >= LAST_RETRY) {
      console.error('audit step failed for good', error);
      await failAudit(event.body, 'Reading the history from Jira kept failing; try again later.');
      return;
    }
    throw error;
  }
}
