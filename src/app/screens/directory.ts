/**
 * Who each Scrum role resolves to: the users named, the members of the groups named, and the actors
 * of the project roles named (with their groups' members). Read as the app: Jira lets only project
 * admins read project role actors, and every screen needs the answer (the viewer's own roles decide
 * what the log shows them). The caller's right to see the project is checked before this runs.
 */
import { ROLE_KEYS, type RoleKey } from '../../core/catalogue';
import type { ProjectConfig } from '../../core/config';
import { membershipOf, readDirectory, type AuditDirectory } from '../audit';
import { resolveRoles } from '../../core/roles';
import type { JiraReads, PersonInfo, RoleActors } from '../ports';

export interface Directory extends AuditDirectory {
  /** Everyone met while resolving, with their names. */
  readonly people: ReadonlyMap<string, PersonInfo>;
}

export async function loadDirectory(reads: JiraReads, projectKey: string | null, config: ProjectConfig): Promise<Directory> {
  const people = new Map<string, PersonInfo>();
  const absentOn404 = <T>(error: unknown): T | null => {
    // A group or role deleted since the config was saved resolves to nobody; anything else is a real failure.
    if (error instanceof Error && /answered 404/.test(error.message)) return null;
    throw error;
  };
  const resolved = await readDirectory(config, projectKey !== null, {
    groupMembers: async (groupId) => {
      const members = await reads.groupMembers(groupId, 'app').catch(absentOn404<PersonInfo[]>);
      for (const m of members ?? []) people.set(m.accountId, m);
      return members?.filter((m) => m.active).map((m) => m.accountId) ?? null;
    },
    projectRoleActors: (roleId) => reads.projectRoleActors(projectKey!, roleId, 'app').catch(absentOn404<RoleActors>),
  });
  return { ...resolved, people };
}

/** Everyone each role resolves to, through the core's own role resolution. */
export function resolvedRoles(config: ProjectConfig, directory: AuditDirectory): Record<RoleKey, string[]> {
  const everyone = new Set<string>();
  for (const role of ROLE_KEYS) for (const id of config.roles[role].users) everyone.add(id);
  for (const members of Object.values(directory.groupMembers)) for (const id of members) everyone.add(id);
  for (const members of Object.values(directory.projectRoleMembers)) for (const id of members) everyone.add(id);
  const resolved: Record<RoleKey, string[]> = { productOwner: [], scrumMaster: [], developers: [], stakeholders: [] };
  for (const accountId of [...everyone].sort()) {
    const roles = resolveRoles(config, membershipOf(accountId, directory));
    for (const role of roles) resolved[role].push(accountId);
  }
  return resolved;
}

export function rolesOfAccount(config: ProjectConfig, directory: AuditDirectory, accountId: string): RoleKey[] {
  const roles = resolveRoles(config, membershipOf(accountId, directory));
  return ROLE_KEYS.filter((r) => roles.has(r));
}
