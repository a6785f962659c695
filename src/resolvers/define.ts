/**
 * One resolver function, the way every one of ours works: the context is read from what Forge
 * guarantees, the payload is parsed with its zod schema (errors name the field), the service runs,
 * and whatever happens the UI gets the contract's envelope, never a thrown error.
 */
import type Resolver from '@forge/resolver';
import type { z } from 'zod';
import { formatIssues } from '../core/issues';
import { callerContext, type CallerContext } from '../app/screens/context';
import { ScreenError } from '../app/screens/errors';
import { ConfigTooLargeError, JiraReadError } from '../app/ports';
import { PublishedConfigTooLargeError } from '../app/published-config';
import type { ResolverFailure, ResolverKey } from '../shared/resolver-api';

export function failure(error: unknown): ResolverFailure {
  if (error instanceof ScreenError) {
    return { ok: false, error: { code: error.code, message: error.message, issues: error.issues, ...(error.current ? { current: error.current } : {}) } };
  }
  if (error instanceof JiraReadError && (error.status === 429 || error.status >= 500)) {
    return { ok: false, error: { code: 'jira-unavailable', message: 'Jira is busy or unavailable right now. Wait a moment and try again.', issues: [] } };
  }
  if (error instanceof PublishedConfigTooLargeError) {
    // Fits app storage, but not the project property the expression validator reads, while status-change blocks.
    const message = `These settings are too large to use while the status rule blocks: ${error.message}.`;
    return { ok: false, error: { code: 'invalid-config', message, issues: [{ path: 'roles', message }] } };
  }
  if (error instanceof ConfigTooLargeError) {
    // A config that is valid but too big for one storage entry: the long lists of people are the cause.
    const message = `The config is too large to save: ${error.message}.`;
    return { ok: false, error: { code: 'invalid-config', message, issues: [{ path: 'roles', message }] } };
  }
  // The detail goes to the app's log, not to the page: it may name things the caller should not see.
  console.error('resolver failed', error);
  return { ok: false, error: { code: 'internal', message: 'Something went wrong on our side. Try again; if it keeps happening, tell your Jira admin.', issues: [] } };
}

export function defineFunction<S extends z.ZodType, T extends object>(
  resolver: Resolver,
  key: ResolverKey,
  schema: S,
  run: (payload: z.output<S>, context: CallerContext) => Promise<T>,
): void {
  resolver.define(key, async (request: { payload: unknown; context: unknown }) => {
    try {
      const context = callerContext(request.context);
      const parsed = schema.safeParse(request.payload ?? {});
      if (!parsed.success) {
        const issues = formatIssues(parsed.error.issues);
        return {
          ok: false,
          error: { code: 'invalid-payload', message: `The request was not understood: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues },
        } satisfies ResolverFailure;
      }
      const data = await run(parsed.data, context);
      return { ok: true, ...data };
    } catch (error) {
      return failure(error);
    }
  });
}
