/** The local Jira: `new JiraSite()` and its handler, the demo data, and the types around them. */
export { JiraSite } from './site';
export type {
  Actor, ContractViolationRecord, EventListener, IssueState, JiraRequest, JiraResponse, JiraSiteOptions, RequestRecord, TransitionValidator,
} from './site';
export type { ActAction, ActResult, SprintState } from './act';
export { actActionSchema } from './act';
export { BOARD_ID, GROUP_IDS, ISSUE_TYPE_IDS, LOCALISED_FIELDS, PEOPLE, PROJECT, SPRINT_IDS, STATUS_IDS, demoRoleConfig } from './data';
export type { FieldOverrides } from './data';
export type { FaultSpec, InjectedFault } from './faults';
export { implementedOperations } from './routes';
export { ROLE_IDS } from './permissions';
