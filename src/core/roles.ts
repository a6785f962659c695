/**
 * Role resolution from an already-fetched directory: which groups and project roles one account is
 * in. Fetching that directory is the Jira adapter's job; deciding what it means is this module's.
 */
import { ROLE_KEYS, type RoleKey } from './catalogue';
import type { ProjectConfig } from './config';

/** What Jira says about one account, as far as role resolution needs it. */
export interface Membership {
  readonly accountId: string;
  /** Group ids the account belongs to. */
  readonly groupIds: readonly string[];
  /** Project role ids the account holds in the project (directly or through a group). */
  readonly projectRoleIds: readonly string[];
}

export type ActorRoles = ReadonlySet<RoleKey>;

export function resolveRoles(config: ProjectConfig, membership: Membership): ActorRoles {
  const roles = new Set<RoleKey>();
  for (const role of ROLE_KEYS) {
    const members = config.roles[role];
    if (
      members.users.includes(membership.accountId) ||
      members.groups.some((g) => membership.groupIds.includes(g)) ||
      members.projectRoles.some((r) => membership.projectRoleIds.includes(r))
    ) {
      roles.add(role);
    }
  }
  return roles;
}

/** Whether a membership lookup is needed at all: only when some role names a group or project role. */
export function needsDirectory(config: ProjectConfig): { groups: boolean; projectRoles: boolean } {
  let groups = false;
  let projectRoles = false;
  for (const role of ROLE_KEYS) {
    if (config.roles[role].groups.length > 0) groups = true;
    if (config.roles[role].projectRoles.length > 0) projectRoles = true;
  }
  return { groups, projectRoles };
}

/** A membership built from the account id alone, for configs that name users only. */
export function directMembership(accountId: string): Membership {
  return { accountId, groupIds: [], projectRoleIds: [] };
}

export function isOutsideScrumTeam(roles: ActorRoles): boolean {
  return !roles.has('productOwner') && !roles.has('scrumMaster') && !roles.has('developers');
}

export function describeRoles(roles: ActorRoles): string {
  if (roles.size === 0) return 'outside the Scrum Team';
  return ROLE_KEYS.filter((r) => roles.has(r)).join(', ');
}
