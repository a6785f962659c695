/**
 * The Custom UI resolvers, one per surface, so a frame can reach only its own functions (the
 * contract in src/shared/resolver-api.ts says which), and the audit's queue consumer. They only
 * wire: the contract's payload schema in, service call with the container's dependencies, envelope
 * out. Each service checks the caller's Jira permission itself.
 */
import { auditProgress, failAudit, runAuditStep, startAudit } from '../app/screens/audit-runner';
import { failHealthStep, isHealthStep, runHealthStep } from '../app/role-health';
import { ScreenError } from '../app/screens/errors';
import { JiraReadError } from '../app/ports';
import { requireBrowse } from '../app/screens/access';
import { requireProject } from '../app/screens/context';
import type { ScreenDeps } from '../app/screens/deps';
import * as health from '../app/screens/role-health';
import * as settings from '../app/screens/settings';
import * as violations from '../app/screens/violations';
import { container } from '../entry/container';
import { defineSurface, type Handlers } from './define';

const screens = (): ScreenDeps => container().screens;

/** The people and group pickers and the roles preview, shared by the settings page and the admin page. */
function pickers(scope: 'project' | 'site'): Handlers<'searchPeople' | 'searchGroups' | 'previewRoles'> {
  return {
    searchPeople: async ({ query }, context) => {
      await settings.requirePickerAccess(context, scope, screens());
      const people = await screens().reads.searchUsers(query);
      return { people: people.map((p) => ({ accountId: p.accountId, displayName: p.displayName, avatarUrl: p.avatarUrl, active: p.active })) };
    },
    searchGroups: async ({ query }, context) => {
      await settings.requirePickerAccess(context, scope, screens());
      return { groups: await screens().reads.searchGroups(query) };
    },
    previewRoles: ({ document }, context) => settings.previewRoles(context, document, scope, screens()),
  };
}

export const settingsResolver = defineSurface('settings', {
  ...pickers('project'),
  getProjectSettings: (_payload, context) => settings.getProjectSettings(context, screens()),
  saveProjectSettings: ({ document, expectedRevision }, context) => settings.saveProjectSettings(context, screens(), document, expectedRevision),
  listProjectRoles: async (_payload, context) => {
    const projectKey = requireProject(context);
    await requireBrowse(screens().reads, projectKey);
    // Read as the app: Jira shows a project's roles to project admins only, and pickers need them earlier.
    return { projectRoles: await screens().reads.projectRoles(projectKey, 'app') };
  },
  startAudit: ({ document, days }, context) => startAudit(context, screens(), document, days),
  auditProgress: ({ auditId }, context) => auditProgress(context, screens(), auditId),
  suggestRoles: ({ days }, context) => health.suggestRoles(context, screens(), days),
});

export const adminResolver = defineSurface('admin', {
  ...pickers('site'),
  getSiteDefaults: (_payload, context) => settings.getSiteDefaults(context, screens()),
  saveSiteDefaults: ({ document, expectedRevision }, context) => settings.saveSiteDefaults(context, screens(), document, expectedRevision),
});

export const issuePanelResolver = defineSurface('issuePanel', {
  getWorkItemNudges: (_payload, context) => violations.getWorkItemNudges(context, screens()),
  acknowledge: ({ ids, note }, context) => violations.acknowledgeOnWorkItem(context, screens(), ids, note),
});

export const violationLogResolver = defineSurface('violationLog', {
  listViolations: (request, context) => violations.listViolations(context, screens(), request),
  violationCharts: ({ filter, bucket }, context) => violations.violationCharts(context, screens(), filter, bucket),
  acknowledgeMany: ({ ids, note }, context) => violations.acknowledgeMany(context, screens(), ids, note),
  exportCsv: ({ filter, sort }, context) => violations.exportCsv(context, screens(), filter, sort),
  roleHealth: ({ sprints }, context) => health.roleHealth(context, screens(), sprints),
  roleHealthChanges: (request, context) => health.roleHealthChanges(context, screens(), request),
  getRoleCharter: (_payload, context) => health.getRoleCharter(context, screens()),
});

/** Forge retries a failing consumer; after the last try the audit is marked failed so the page stops waiting. */
const LAST_RETRY = 4;

/** Jira's refusals (not its busy answers) end a role health run: retrying would not change them. */
function refusalOf(error: unknown): string | null {
  if (error instanceof ScreenError) return error.message;
  if (error instanceof JiraReadError && error.status !== 429 && error.status < 500) return 'Jira refused to show the history to the app; ask your Jira admin to check its access to this project.';
  return null;
}

/** The audit's queue also carries role health and role suggestion steps (the same kind of work). */
export async function auditConsumer(event: { body?: unknown; retryContext?: { retryCount?: number } }): Promise<void> {
  const health = isHealthStep(event.body);
  const s = screens();
  try {
    if (health) await runHealthStep(event.body, { reads: s.reads, cache: s.cache, clock: s.clock, queue: s.auditQueue }, refusalOf);
    else await runAuditStep(event.body, s);
  } catch (error) {
    if ((event.retryContext?.retryCount ?? 0) >= LAST_RETRY) {
      console.error('audit step failed for good', error);
      const reason = 'Reading the history from Jira kept failing; try again later.';
      if (health) await failHealthStep(event.body, reason, { reads: s.reads, cache: s.cache, clock: s.clock, queue: s.auditQueue });
      else await failAudit(event.body, reason, s);
      return;
    }
    throw error;
  }
}
