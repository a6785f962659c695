/**
 * The apps' only door to the backend and to Jira: @forge/bridge. Nothing else in static/ imports the
 * package (the build serves it slimmed to the functions named here; see static/build.mjs).
 */
import { invoke, requestJira, showFlag, view } from '@forge/bridge';

export { requestJira };

import { frameContextFrom, ResolverError, unwrapAnswer, type FrameContext } from './bridge-pure';

export { frameContextFrom, ResolverError, unwrapAnswer, type FieldIssue, type FrameContext } from './bridge-pure';

export async function loadFrameContext(): Promise<FrameContext> {
  return frameContextFrom(await view.getContext());
}

/** Calls a resolver and unwraps its answer; a failed call becomes a ResolverError the pages can show. */
export async function callResolver<T>(key: string, payload: Record<string, unknown> = {}): Promise<T> {
  let answer: unknown;
  try {
    answer = await invoke(key, payload);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ResolverError(`The app did not answer (${message}). Reload the page; if it keeps happening, tell your Jira admin.`, 'invoke-failed');
  }
  return unwrapAnswer<T>(answer);
}

/** A Jira flag in the corner of the page, for outcomes the person should notice wherever they look. */
export function flag(type: 'success' | 'info' | 'warning' | 'error', title: string, description?: string): void {
  try {
    showFlag({ id: `srg-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, type, title, description, isAutoDismiss: type === 'success' || type === 'info' });
  } catch {
    // A host without flags: the page shows the outcome itself too.
  }
}
