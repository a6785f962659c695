/** Said once, plainly, to someone who cannot see the project: no red banner, no "Try again". */
import { ResolverError } from '../bridge-pure';
import { Message } from './message';

/** A load refused because the person cannot see the project in Jira: nothing to retry. */
export function isNoAccess(error: unknown): boolean {
  return error instanceof ResolverError && error.code === 'forbidden';
}

export function NoAccess({ what }: { what: string }) {
  return (
    <main className="srg-stack">
      <Message appearance="info" title="You don't have access to this project">
        <p>
          Jira doesn't let you see this project, so Scrum Role Guard cannot show you its {what}. If you should have access, ask a Jira admin to add you to
          the project.
        </p>
      </Message>
    </main>
  );
}
