/**
 * The Custom UI resolvers, one per surface, so a frame can reach only its own functions
 * (SURFACE_FUNCTIONS in the contract), and the audit's queue consumer. They only wire: payload
 * schema in, service call, envelope out.
 */
import Resolver from '@forge/resolver';
import { auditProgress, failAudit, runAuditStep, startAudit } from '../app/screens/audit-runner';
import { requireBrowse } from '../app/screens/access';
import { requireProject, type CallerContext } from '../app/screens/context';
import type { ScreenDeps } from '../app/screens/deps';
import * as settings from '../app/screens/settings';
import * as violations from '../app/screens/violations';
import * as S from '../shared/resolver-schemas';
import { container } from '../entry/container';
import { defineFunction } from './define';

const screenPorts = (): ScreenDeps => container().screens;

function pickers(resolver: Resolver, surface: 'project' | 'site'): void {
  defineFunction(resolver, 'searchPeople', S.searchPayload, async ({ query }, context: CallerContext) => {
    await settings.requirePickerAccess(context, surface, screenPorts());
    const people = await screenPorts().reads.searchUsers(query);
    return { people: people.map((p) => ({ accountId: p.accountId, displayName: p.displayName, avatarUrl: p.avatarUrl, active: p.active })) };
  });
  defineFunction(resolver, 'searchGroups', S.searchPayload, async ({ query }, context) => {
    await settings.requirePickerAccess(context, surface, screenPorts());
    return { groups: await screenPorts().reads.searchGroups(query) };
  });
  defineFunction(resolver, 'previewRoles', S.previewRolesPayload, ({ document }, context) => settings.previewRoles(context, document, surface, screenPorts()));
}

function buildSettingsResolver(): Resolver {
  const resolver = new Resolver();
  defineFunction(resolver, 'getProjectSettings', S.getProjectSettingsPayload, (_payload, context) => settings.getProjectSettings(context, screenPorts()));
  defineFunction(resolver, 'saveProjectSettings', S.saveSettingsPayload, ({ document, expectedRevision }, context) =>
    settings.saveProjectSettings(context, screenPorts(), document, expectedRevision),
  );
  pickers(resolver, 'project');
  defineFunction(resolver, 'listProjectRoles', S.listProjectRolesPayload, async (_payload, context) => {
    const projectKey = requireProject(context);
    await requireBrowse(screenPorts().reads, projectKey);
    // Read as the app: Jira shows a project's roles to project admins only, and pickers need them earlier.
    return { projectRoles: await screenPorts().reads.projectRoles(projectKey, 'app') };
  });
  defineFunction(resolver, 'startAudit', S.startAuditPayload, ({ document, days }, context) => startAudit(context, screenPorts(), document, days));
  defineFunction(resolver, 'auditProgress', S.auditProgressPayload, ({ auditId }, context) => auditProgress(context, screenPorts(), auditId));
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
    await runAuditStep(event.body, screenPorts());
  } catch (error) {
    if ((event.retryContext?.retryCount ?? 0) >= LAST_RETRY) {
      console.error('audit step failed for good', error);
      await failAudit(event.body, 'Reading the history from Jira kept failing; try again later.', screenPorts());
      return;
    }
    throw error;
  }
}
