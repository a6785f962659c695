/**
 * Who may do what (docs/permissions.md), decided on the server with the caller's own Jira
 * permissions (`GET mypermissions` as the user) and the project's Scrum role map.
 */
import type { RoleKey } from '../../core/catalogue';
import type { ProjectConfig } from '../../core/config';
import type { Viewer } from '../../shared/resolver-api';
import type { AuditDirectory } from '../audit';
import type { JiraReads, PermissionKey } from '../ports';
import { rolesOfAccount } from './directory';
import { forbidden } from './errors';

export type Permissions = Record<PermissionKey, boolean>;

/** The caller's permissions in the project; refuses anyone who cannot browse it. */
export async function requireBrowse(reads: JiraReads, projectKey: string): Promise<Permissions> {
  const permissions = await reads.myPermissions(projectKey);
  if (!permissions.BROWSE_PROJECTS) throw forbidden('You do not have access to this project in Jira.');
  return permissions;
}

export function isProjectAdmin(permissions: Permissions): boolean {
  return permissions.ADMINISTER_PROJECTS || permissions.ADMINISTER;
}

export async function requireProjectAdmin(reads: JiraReads, projectKey: string): Promise<Permissions> {
  const permissions = await requireBrowse(reads, projectKey);
  if (!isProjectAdmin(permissions)) throw forbidden('Only project admins (or Jira admins) can change this project’s Scrum roles and rules.');
  return permissions;
}

export async function requireJiraAdmin(reads: JiraReads): Promise<Permissions> {
  const permissions = await reads.myPermissions(null);
  if (!permissions.ADMINISTER) throw forbidden('Only Jira admins can change the site-wide defaults.');
  return permissions;
}

/**
 * What the caller sees of the log: the Scrum Master, the Product Owner and project admins see every
 * entry and may acknowledge; anyone else who can browse the project sees only entries they made.
 */
export function viewerOf(accountId: string, permissions: Permissions, config: ProjectConfig, directory: AuditDirectory): Viewer {
  const roles: RoleKey[] = rolesOfAccount(config, directory, accountId);
  const coach = roles.includes('scrumMaster') || roles.includes('productOwner');
  const all = coach || isProjectAdmin(permissions);
  return { accountId, roles, scope: all ? 'all' : 'own', canAcknowledge: coach };
}
