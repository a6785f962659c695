/**
 * The link to the contract checker (sandbox/contract): every request to the local Jira and every
 * answer it gives are held to Atlassian's OpenAPI descriptions.
 */
import { ContractViolation, loadJiraContract, type ContractProblem, type MatchedOperation } from '../contract';

export type { ContractProblem, MatchedOperation };

/** The part of the checker the local Jira uses (tests may pass their own). */
export interface JiraContractChecker {
  checkRequest(req: { method: string; path: string; body?: unknown }): { operation: MatchedOperation | null; problems: ContractProblem[] };
  checkResponse(operation: MatchedOperation, status: number, body: unknown): ContractProblem[];
}

/** The project's checker, loading the pruned descriptions once per process. */
export function defaultContract(): JiraContractChecker {
  return loadJiraContract();
}

export function contractViolation(problems: ContractProblem[], operation: string | undefined, request: string): ContractViolation {
  return new ContractViolation(problems, operation, request);
}
