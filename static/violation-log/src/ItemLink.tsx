/** A work item's key as a link: in Jira the page around the frame goes there; the address still works for a new tab. */
import type { MouseEvent } from 'react';
import { useEnvironment } from '../../kit/app';
import { navigateTo } from '../../kit/bridge';

export function ItemLink({ issueKey }: { issueKey: string }) {
  const { context } = useEnvironment();
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigateTo(`/browse/${issueKey}`);
  };
  return (
    <a href={`${context.siteUrl ?? ''}/browse/${issueKey}`} onClick={open}>
      {issueKey}
    </a>
  );
}
