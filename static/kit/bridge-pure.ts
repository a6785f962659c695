/**
 * The parts of the bridge layer that need no host: reading the Forge context and unwrapping resolver
 * answers. Kept apart from bridge.ts because @forge/bridge looks for its host as soon as it loads.
 */
/** What the apps read from `view.getContext()`: who is looking, and where. */
export interface FrameContext {
  readonly accountId: string | null;
  /** The Forge module type, e.g. `jira:projectSettingsPage`. */
  readonly moduleType: string | null;
  readonly moduleKey: string | null;
  readonly projectKey: string | null;
  readonly projectId: string | null;
  readonly issueKey: string | null;
  readonly issueId: string | null;
  readonly locale: string | null;
  readonly timezone: string | null;
  readonly colorMode: string | null;
  /** The Jira site's address, for links to its pages (`${siteUrl}/browse/KEY`). */
  readonly siteUrl: string | null;
}

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** Reads the context defensively: each surface's extension data has its own shape. */
export function frameContextFrom(raw: unknown): FrameContext {
  const context = record(raw);
  const extension = record(context.extension);
  const project = record(extension.project);
  const issue = record(extension.issue);
  return {
    accountId: text(context.accountId),
    moduleType: text(extension.type),
    moduleKey: text(context.moduleKey),
    projectKey: text(project.key),
    projectId: text(project.id),
    issueKey: text(issue.key),
    issueId: text(issue.id),
    locale: text(context.locale),
    timezone: text(context.timezone),
    colorMode: text(record(context.theme).colorMode),
    siteUrl: text(context.siteUrl),
  };
}

/** One problem with one field of a request, as the resolver reports it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** A resolver's refusal, with what the person can do about it. */
export class ResolverError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly issues: readonly FieldIssue[] = [],
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'ResolverError';
  }
}

const FRIENDLY: Record<string, string> = {
  forbidden: 'You do not have permission to do this here. A project admin or Jira admin can.',
  unauthorized: 'You do not have permission to do this here. A project admin or Jira admin can.',
  'not-found': 'That could not be found. It may have been removed; reload the page.',
  conflict: 'Someone else saved in the meantime.',
  'rate-limited': 'Jira is busy right now. Wait a moment and try again.',
};

/**
 * Turns whatever a resolver answered into its data or a ResolverError. Answers come either as the
 * data itself or as an envelope `{ ok: true, ... } | { ok: false, error: { code, message, issues } }`.
 */
export function unwrapAnswer<T>(answer: unknown): T {
  const body = record(answer);
  if (body.ok === false) {
    const error = record(body.error);
    const code = text(error.code) ?? text(body.code) ?? 'error';
    const message = text(error.message) ?? text(body.message) ?? FRIENDLY[code] ?? 'The app could not complete the request.';
    const rawIssues = Array.isArray(error.issues) ? error.issues : Array.isArray(body.issues) ? body.issues : [];
    const issues = rawIssues
      .map((issue) => record(issue))
      .map((issue) => ({ path: text(issue.path) ?? '', message: text(issue.message) ?? 'is not valid' }));
    throw new ResolverError(message, code, issues, body);
  }
  return answer as T;
}

