/**
 * What a resolver may trust about its caller: only what Forge guarantees. `context.accountId` comes
 * from the platform (the backend payload's principal), and `context.extension` from the module the
 * frame was opened in: the project of a project page, the work item of an issue panel.
 */
import { z } from 'zod';
import { projectKeyOfIssueKey } from '../../core/routing';
import { notFound, ScreenError } from './errors';

const projectKey = z.string().regex(/^[A-Z][A-Z0-9_]{0,254}$/);

const contextSchema = z.looseObject({
  accountId: z.string().min(1).nullish(),
  extension: z
    .looseObject({
      type: z.string().optional(),
      project: z.looseObject({ key: projectKey.optional(), id: z.union([z.string(), z.number()]).optional() }).nullish(),
      issue: z.looseObject({ key: z.string().optional(), id: z.union([z.string(), z.number()]).optional() }).nullish(),
    })
    .nullish(),
});

export interface CallerContext {
  readonly accountId: string;
  readonly projectKey: string | null;
  readonly issueKey: string | null;
  readonly issueId: string | null;
}

export function callerContext(raw: unknown): CallerContext {
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) throw new ScreenError('not-found', 'The app could not tell where it was opened; reload the page.');
  const accountId = parsed.data.accountId;
  // Anonymous visitors have no account id; nothing here is for them.
  if (!accountId) throw new ScreenError('forbidden', 'Log in to Jira to use this page.');
  const extension = parsed.data.extension;
  const issueKey = extension?.issue?.key ?? null;
  const projectKeyFromIssue = issueKey !== null ? projectKeyOfIssueKey(issueKey) : null;
  return {
    accountId,
    projectKey: extension?.project?.key ?? projectKeyFromIssue,
    issueKey,
    issueId: extension?.issue?.id !== undefined ? String(extension.issue.id) : null,
  };
}

export function requireProject(context: CallerContext): string {
  if (context.projectKey === null) throw notFound('This page was opened outside a project; open it from the project.');
  return context.projectKey;
}

export function requireIssue(context: CallerContext): { issueKey: string; projectKey: string } {
  if (context.issueKey === null || context.projectKey === null) throw notFound('This panel was opened outside a work item.');
  return { issueKey: context.issueKey, projectKey: context.projectKey };
}
