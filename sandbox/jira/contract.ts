/**
 * The link to the contract checker (sandbox/contract): every request to the local Jira and every
 * answer it gives are held to Atlassian's OpenAPI descriptions.
 */
export interface ContractProblem {
  where: string;
  message: string;
}

/** What the checker says an operation is; opaque here, handed back to `checkResponse`. */
export type MatchedOperation = object;

export interface JiraContractChecker {
  checkRequest(req: { method: string; path: string; body?: unknown }): { operation: MatchedOperation | null; problems: ContractProblem[] };
  checkResponse(operation: MatchedOperation, status: number, body: unknown): ContractProblem[];
}

interface ContractModule {
  loadJiraContract(): JiraContractChecker;
  ContractViolation: new (...args: never[]) => Error & { problems: ContractProblem[] };
}

function contractModule(): ContractModule | null {
  try {
    // Loaded lazily so the local Jira also works where the checker is not built (it is in this repository).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../contract') as ContractModule;
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error as { code?: string }).code === 'MODULE_NOT_FOUND' && /sandbox[/\\]contract|'\.\.\/contract'/.test(error.message)) return null;
    throw error;
  }
}

let cached: JiraContractChecker | null | undefined;

/** The shared checker (loading the descriptions once per process), or null when it is not present. */
export function defaultContract(): JiraContractChecker | null {
  if (cached === undefined) cached = contractModule()?.loadJiraContract() ?? null;
  return cached;
}

/** The checker's own error class when present, so strict mode throws what tests expect. */
export function contractViolation(problems: ContractProblem[], summary: string): Error {
  const mod = contractModule();
  if (mod) {
    try {
      const Violation = mod.ContractViolation as unknown as new (message: string, problems: ContractProblem[]) => Error & { problems: ContractProblem[] };
      const error = new Violation(summary, problems);
      if (!Array.isArray(error.problems)) error.problems = problems;
      return error;
    } catch {
      // fall through to the local shape
    }
  }
  return Object.assign(new Error(summary), { name: 'ContractViolation', problems });
}
