/** What every boundary shares: zod's issues as errors that name the path and what was expected, and the plain-object check. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface BoundaryIssue {
  /** Dotted path into the input, e.g. `roles.productOwner.users[0]`; `(root)` for the whole input. */
  readonly path: string;
  readonly message: string;
}

interface ZodLikeIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly keys?: readonly string[];
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
  return issues.flatMap((issue) =>
    // One entry per unknown key, at the key's own path, so the settings page can point at it.
    issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: issue.message }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

/**
 * A zod error function for objects: names the expected keys for an unknown key, and the expected
 * shape for anything else.
 */
export function objectError(expected: string, knownKeys?: readonly string[]) {
  return (issue: { code?: string }): string =>
    issue.code === 'unrecognized_keys'
      ? `unknown key${knownKeys ? `; expected one of ${knownKeys.join(', ')}` : ''}`
      : expected;
}

export function describeIssues(issues: readonly BoundaryIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}
