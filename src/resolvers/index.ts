/**
 * The Custom UI resolvers, one per surface, so a frame can reach only its own functions (the
 * contract in src/shared/resolver-api.ts says which), and the audit's queue consumer. They only
 * wire: the contract's payload schema in, service call, envelope out. Each service checks the
 * caller's Jira permission itself.
 */
import { auditProgress, failAudit, runAuditStep, startAudit } from '../app/screens/audit-runner';
import { requireBrowse } from '../app/screens/access';
import { requireProject } from '../app/screens/context';
import { projectRoles, searchGroups, searchUsers } from '../app/screens/jira-reads';
import * as settings from '../app/screens/settings';
import * as violations from '../app/screens/violations';
import { ensureSeeded } from '../app/rank-order';
import { enforcementDeps } from '../entry/deps';
import { defineSurface, type Handlers } from './define';
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

/** The people and group pickers and the roles preview, shared by the settings page and the admin page. */
function pickers(scope: 'project' | 'site'): Handlers<'searchPeople' | 'searchGroups' | 'previewRoles'> {
  return {
    searchPeople: async ({ query }, context) => {
      await settings.requirePickerAccess(context, scope);
      const people = await searchUsers(query);
      return { people: people.map((p) => ({ accountId: p.accountId, displayName: p.displayName, avatarUrl: p.avatarUrl, active: p.active })) };
    },
    searchGroups: async ({ query }, context) => {
      await settings.requirePickerAccess(context, scope);
      return { groups: await searchGroups(query) };
    },
    previewRoles: ({ document }, context) => settings.previewRoles(context, document, scope, screenPorts()),
  };
}

export const settingsResolver = defineSurface('settings', {
  ...pickers('project'),
  getProjectSettings: (_payload, context) => settings.getProjectSettings(context, screenPorts()),
  saveProjectSettings: async ({ document, expectedRevision }, context) => {
    const saved = await settings.saveProjectSettings(context, screenPorts(), document, expectedRevision);
    await learnRankOrder(requireProject(context));
    return saved;
  },
  listProjectRoles: async (_payload, context) => {
    const projectKey = requireProject(context);
    await requireBrowse(projectKey);
    // Read as the app: Jira shows a project's roles to project admins only, and pickers need them earlier.
    return { projectRoles: await projectRoles(projectKey, 'app') };
  },
  startAudit: ({ document, days }, context) => startAudit(context, screenPorts().clock, document, days),
  auditProgress: ({ auditId }, context) => auditProgress(context, auditId),
});

export const adminResolver = defineSurface('admin', {
  ...pickers('site'),
  getSiteDefaults: (_payload, context) => settings.getSiteDefaults(context, screenPorts()),
  saveSiteDefaults: ({ document, expectedRevision }, context) => settings.saveSiteDefaults(context, screenPorts(), document, expectedRevision),
});

export const issuePanelResolver = defineSurface('issuePanel', {
  getWorkItemNudges: (_payload, context) => violations.getWorkItemNudges(context, screenPorts()),
  acknowledge: ({ ids, note }, context) => violations.acknowledgeOnWorkItem(context, screenPorts(), ids, note),
});

export const violationLogResolver = defineSurface('violationLog', {
  listViolations: (request, context) => violations.listViolations(context, screenPorts(), request),
  violationCharts: ({ filter, bucket }, context) => violations.violationCharts(context, screenPorts(), filter, bucket),
  acknowledgeMany: ({ ids, note }, context) => violations.acknowledgeMany(context, screenPorts(), ids, note),
  exportCsv: ({ filter, sort }, context) => violations.exportCsv(context, screenPorts(), filter, sort),
});

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
