/**
 * The demo site's permission scheme: which project roles (or global groups) hold each permission.
 * Keys and ids are Jira's own; the grants follow Jira's default scheme for a company-managed
 * software project, narrowed where the demo needs a clear line (sprints, administration).
 */
export type PermissionType = 'GLOBAL' | 'PROJECT';

export interface PermissionDefinition {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly type: PermissionType;
  readonly description: string;
  /** Project permissions: project role ids that hold it. */
  readonly roleIds?: readonly number[];
  /** Global permissions: group ids that hold it ('*' = every active user). */
  readonly groupIds?: readonly string[];
}

export const ROLE_IDS = { users: 10000, developers: 10001, administrators: 10002 } as const;
const EVERYONE_IN_PROJECT = [ROLE_IDS.users, ROLE_IDS.developers, ROLE_IDS.administrators];
const TEAM = [ROLE_IDS.developers, ROLE_IDS.administrators];

export function permissionDefinitions(adminGroupId: string): PermissionDefinition[] {
  const project = (id: string, key: string, name: string, roleIds: readonly number[], description: string): PermissionDefinition => ({
    id, key, name, type: 'PROJECT', description, roleIds,
  });
  return [
    { id: '0', key: 'ADMINISTER', name: 'Administer Jira', type: 'GLOBAL', description: 'Create and administer projects, issue types, fields, workflows and schemes.', groupIds: [adminGroupId] },
    { id: '44', key: 'SYSTEM_ADMIN', name: 'Administer Jira system', type: 'GLOBAL', description: 'Configure the whole site.', groupIds: [adminGroupId] },
    { id: '27', key: 'USER_PICKER', name: 'Browse users and groups', type: 'GLOBAL', description: 'View and select users or groups from the user picker.', groupIds: ['*'] },
    project('23', 'ADMINISTER_PROJECTS', 'Administer Projects', [ROLE_IDS.administrators], 'Administer a project in Jira.'),
    project('10', 'BROWSE_PROJECTS', 'Browse Projects', EVERYONE_IN_PROJECT, 'Browse projects and the work items within them.'),
    project('11', 'CREATE_ISSUES', 'Create Issues', EVERYONE_IN_PROJECT, 'Create work items.'),
    project('12', 'EDIT_ISSUES', 'Edit Issues', EVERYONE_IN_PROJECT, 'Edit work items.'),
    project('46', 'TRANSITION_ISSUES', 'Transition Issues', EVERYONE_IN_PROJECT, 'Transition work items.'),
    project('28', 'SCHEDULE_ISSUES', 'Schedule Issues', EVERYONE_IN_PROJECT, 'Set due dates and rank work items.'),
    project('13', 'ASSIGN_ISSUES', 'Assign Issues', EVERYONE_IN_PROJECT, 'Assign work items to other people.'),
    project('17', 'ASSIGNABLE_USER', 'Assignable User', EVERYONE_IN_PROJECT, 'Be assigned to work items.'),
    project('14', 'RESOLVE_ISSUES', 'Resolve Issues', EVERYONE_IN_PROJECT, 'Resolve and reopen work items.'),
    project('15', 'ADD_COMMENTS', 'Add Comments', EVERYONE_IN_PROJECT, 'Add comments to work items.'),
    project('16', 'DELETE_ISSUES', 'Delete Issues', [ROLE_IDS.administrators], 'Delete work items.'),
    project('-1', 'MANAGE_SPRINTS_PERMISSION', 'Manage sprints', TEAM, 'Create, start, complete and edit sprints.'),
  ];
}
