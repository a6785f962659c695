/**
 * The apps' only door to the backend and to Jira: @forge/bridge. Nothing else in static/ imports the
 * package (the build serves it slimmed to the functions named here; see static/build.mjs).
 */
import { events, invoke, requestJira, router, showFlag, view } from '@forge/bridge';

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

/**
 * What Jira sends a frame on a work item when the work item changed (updated or commented on), as
 * `events.on('JIRA_ISSUE_CHANGED')` documents it.
 */
export interface IssueChanged {
  readonly issueId?: string;
  readonly projectId?: string;
  readonly changes?: readonly { readonly changeType?: string; readonly atlassianId?: string }[];
}

/** Calls `onChange` whenever Jira says the work item changed; returns how to stop. */
export function onIssueChanged(onChange: (change: IssueChanged) => void): () => void {
  let stopped = false;
  let subscription: { unsubscribe: () => void } | undefined;
  try {
    void Promise.resolve(events.on('JIRA_ISSUE_CHANGED', (payload: unknown) => onChange((payload ?? {}) as IssueChanged))).then(
      (s: unknown) => {
        subscription = s as { unsubscribe: () => void };
        if (stopped) subscription.unsubscribe();
      },
      () => undefined,
    );
  } catch {
    // A host without events: the panel still refreshes when opened.
  }
  return () => {
    stopped = true;
    subscription?.unsubscribe();
  };
}

/** Opens a page of the Jira site in the same tab (a path such as `/browse/DEMO-12`). */
export function navigateTo(path: string): void {
  void Promise.resolve(router.navigate(path)).catch(() => {
    window.top?.location.assign(path);
  });
}
