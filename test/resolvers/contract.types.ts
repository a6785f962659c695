/**
 * What the compiler refuses, now that the resolver contract is one object: `npm run typecheck`
 * checks this file, and every `@ts-expect-error` below fails it when the refusal stops happening
 * (an unused directive is an error). Each refused line sits next to the same line done right, which
 * compiles, so a refusal cannot come from a mistake elsewhere on the line. Nothing here runs.
 */
import type { CallerContext } from '../../src/app/screens/context';
import { defineSurface, type Handler, type Handlers } from '../../src/resolvers/define';
import type { FunctionContract, FunctionOf, Returns } from '../../src/shared/resolver-api';
import { noPayload } from '../../src/shared/resolver-schemas';
import { call } from '../../static/kit/contract';

declare const context: CallerContext;
declare const panel: Handlers<FunctionOf<'issuePanel'>>;
declare const nudges: Awaited<ReturnType<Handler<'getWorkItemNudges'>>>;

// ---------------------------------------------------------------------------------------------
// The server: a surface's handlers

export const surfaces = [
  // Every function of the surface, each with its payload and answer: compiles.
  () => defineSurface('issuePanel', { getWorkItemNudges: async () => nudges, acknowledge: async ({ ids, note }) => ({ acknowledged: ids.length + note.length }) }),

  // A surface missing a handler.
  // @ts-expect-error acknowledge has no handler
  () => defineSurface('issuePanel', { getWorkItemNudges: panel.getWorkItemNudges }),

  // A handler for a function the surface does not have.
  () => defineSurface('issuePanel', { ...panel }),
  // @ts-expect-error exportCsv belongs to the violation log
  () => defineSurface('issuePanel', { ...panel, exportCsv: async () => ({ filename: 'x.csv', csv: '', rowCount: 0, truncated: false }) }),

  // A handler reading a payload field the function does not take.
  () => defineSurface('issuePanel', { ...panel, acknowledge: async ({ ids }) => ({ acknowledged: ids.length }) }),
  // @ts-expect-error acknowledge takes { ids, note }, not { query }
  () => defineSurface('issuePanel', { ...panel, acknowledge: async ({ query }) => ({ acknowledged: query.length }) }),

  // A handler declaring the payload of another function.
  () => defineSurface('issuePanel', { ...panel, acknowledge: async (payload: { ids: string[]; note: string }) => ({ acknowledged: payload.ids.length }) }),
  // @ts-expect-error acknowledge's payload is not searchPeople's
  () => defineSurface('issuePanel', { ...panel, acknowledge: async (payload: { query: string }) => ({ acknowledged: payload.query.length }) }),

  // A handler answering another function's answer.
  () => defineSurface('issuePanel', { ...panel, getWorkItemNudges: async () => nudges }),
  // @ts-expect-error getWorkItemNudges answers a WorkItemNudgesView, not an AcknowledgeView
  () => defineSurface('issuePanel', { ...panel, getWorkItemNudges: async () => ({ acknowledged: 1 }) }),

  // A handler answering the right shape with a field of the wrong type.
  () => defineSurface('issuePanel', { ...panel, acknowledge: async () => ({ acknowledged: 1 }) }),
  // @ts-expect-error acknowledged is a count
  () => defineSurface('issuePanel', { ...panel, acknowledge: async () => ({ acknowledged: 'all' }) }),
];

// The handler gets the payload as parsed, defaults filled in.
export const parsed: Handler<'listViolations'> = async ({ limit, cursor, sort }) => {
  const size: number = limit;
  const from: string | null = cursor;
  const by: string = sort.by;
  void [size, from, by, context];
  return { rows: [], nextCursor: null, total: 0, people: [], viewer: { accountId: 'a', roles: [], scope: 'own', canAcknowledge: false } };
};

// ---------------------------------------------------------------------------------------------
// The pages: `call`

export async function pages(): Promise<void> {
  await call('acknowledge', { ids: ['v1'], note: 'Talked it through.' });
  // @ts-expect-error the note is missing
  await call('acknowledge', { ids: ['v1'] });
  // @ts-expect-error acknowledge takes no query
  await call('acknowledge', { ids: ['v1'], note: 'Talked it through.', query: 'x' });
  // @ts-expect-error ids is a list
  await call('acknowledge', { ids: 'v1', note: 'Talked it through.' });

  // Defaults may be left out; a function that takes nothing takes {} only.
  await call('listViolations', {});
  await call('getProjectSettings', {});
  // @ts-expect-error getProjectSettings takes nothing
  await call('getProjectSettings', { projectKey: 'DEMO' });

  // @ts-expect-error no such function
  await call('deleteEverything', {});

  // The answer is the function's own.
  const people = (await call('searchPeople', { query: 'da' })).people;
  void people.map((p) => p.displayName);
  // @ts-expect-error searchPeople answers people, not groups
  void (await call('searchPeople', { query: 'da' })).groups;
}

// ---------------------------------------------------------------------------------------------
// The contract itself: each entry names at least one surface, a schema and an answer

export const entries = [
  { surfaces: ['settings'], payload: noPayload, answer: {} as Returns<{ readonly ok: number }> } satisfies FunctionContract,
  // @ts-expect-error a function on no surface
  { surfaces: [], payload: noPayload, answer: {} as Returns<{ readonly ok: number }> } satisfies FunctionContract,
  // @ts-expect-error a surface that does not exist
  { surfaces: ['dashboard'], payload: noPayload, answer: {} as Returns<{ readonly ok: number }> } satisfies FunctionContract,
];
