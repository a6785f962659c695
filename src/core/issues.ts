/** Turning zod's issues into errors that name the path and what was expected. */

export interface BoundaryIssue {
  /** Dotted path into the input, e.g. `roles.productOwner.users[0]`; `(root)` for the whole input. */
  readonly path: string;
  readonly message: string;
}

interface ZodLikeIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

export function formatIssues(issues: readonly ZodLikeIssue[]): BoundaryIssue[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function describeIssues(issues: readonly BoundaryIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}
