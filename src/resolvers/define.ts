/**
 * A surface's resolver from its handlers, the way every function of ours works: the context is read
 * from what Forge guarantees, the payload is parsed with the schema the contract gives the function
 * (errors name the field), the handler runs, and whatever happens the UI gets the contract's
 * envelope, never a thrown error. The handler types come from the contract (src/shared/resolver-api.ts).
 */
import Resolver from '@forge/resolver';
import type { z } from 'zod';
import { formatIssues } from '../core/issues';
import { callerContext, type CallerContext } from '../app/screens/context';
import { ScreenError } from '../app/screens/errors';
import { ConfigTooLargeError, JiraReadError } from '../app/ports';
import { PublishedConfigTooLargeError } from '../app/published-config';
import { RESOLVER_CONTRACT, SURFACE_FUNCTIONS, type DataOf, type FunctionOf, type ParsedPayloadOf, type ResolverFailure, type ResolverKey, type Surface } from '../shared/resolver-api';

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

/** The server side of one function: the parsed payload and the caller in, the contract's answer out. */
export type Handler<K extends ResolverKey> = (payload: ParsedPayloadOf<K>, context: CallerContext) => Promise<DataOf<K>>;

/** Handlers for the functions `K`, one each. */
export type Handlers<K extends ResolverKey> = { readonly [P in K]: Handler<P> };

/**
 * A surface's resolver, as the manifest names it: every function the contract gives the surface,
 * and no other. Each call is answered with the envelope, whatever happens.
 */
export function defineSurface<S extends Surface>(surface: S, handlers: Handlers<FunctionOf<S>>): ReturnType<Resolver['getDefinitions']> {
  const resolver = new Resolver();
  const wanted: readonly ResolverKey[] = SURFACE_FUNCTIONS[surface];
  const given = handlers as unknown as Readonly<Record<string, (payload: unknown, context: CallerContext) => Promise<object>>>;
  // The compiler checks this already; plain JavaScript callers (and spreads it cannot see through) are checked here.
  const extra = Object.keys(given).filter((key) => !wanted.includes(key as ResolverKey));
  const missing = wanted.filter((key) => typeof given[key] !== 'function');
  if (extra.length > 0 || missing.length > 0) {
    throw new Error(`the ${surface} resolver does not match the contract: ${[...missing.map((k) => `no handler for ${k}`), ...extra.map((k) => `${k} is not one of its functions`)].join('; ')}`);
  }
  for (const key of wanted) resolver.define(key, respond(RESOLVER_CONTRACT[key].payload, given[key]!));
  return resolver.getDefinitions();
}

function respond(schema: z.ZodType, run: (payload: unknown, context: CallerContext) => Promise<object>) {
  return async (request: { payload: unknown; context: unknown }): Promise<object> => {
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
  };
}
