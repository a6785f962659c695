/** A failed load or action, said plainly, with a way to try again. */
import { Button } from './button';
import { Message } from './message';

export function ErrorBanner({ title = 'Something went wrong', error, onRetry }: { title?: string; error: unknown; onRetry?: () => void }) {
  return (
    <Message
      appearance="error"
      title={title}
      live
      actions={
        onRetry && (
          <Button appearance="link" onClick={onRetry}>
            Try again
          </Button>
        )
      }
    >
      <p>{errorText(error)}</p>
    </Message>
  );
}

/** What went wrong, in the words the failure brought, or a plain sentence when it brought none. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'The app could not complete the request. Reload the page, and if it keeps happening tell your Jira admin.';
}
