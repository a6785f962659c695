/**
 * The Role charter tab: who holds each accountability, what each role decides (the rules that allow
 * it, in their mode) and whom to talk to when something goes against a rule, from the project's
 * settings and the catalogue. Printable, and as Markdown for the team's wiki (copied or downloaded).
 */
import { useState } from 'react';
import { call } from '../../kit/contract';
import { copyText } from '../../kit/clipboard';
import { Badge, Button, DataTable, ErrorBanner, isNoAccess, NoAccess, Spinner } from '../../kit/components';
import { downloadText } from '../../kit/download';
import { useAsync } from '../../kit/hooks';
import { MODE_LABELS, type Mode, type RoleKey } from '../../kit/labels';

/** What a role without rules of its own does, said instead of an empty list. */
const NO_DECISIONS: Record<RoleKey, string> = {
  productOwner: 'No rule gives the Product Owner a decision of their own here.',
  scrumMaster: 'Coaches the team and its surroundings in Scrum; no change to work items is theirs alone.',
  developers: 'No rule gives the Developers a decision of their own here.',
  stakeholders: 'Bring ideas and feedback to the Product Owner; no change to work items is theirs alone.',
};

const MODE_APPEARANCE: Record<Mode, 'default' | 'warning' | 'danger'> = { off: 'default', flag: 'warning', block: 'danger' };

export function Charter({ projectKey }: { projectKey: string }) {
  const charter = useAsync(() => call('getRoleCharter', {}), projectKey);
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);

  if (charter.status === 'error' && !charter.data) {
    if (isNoAccess(charter.error)) return <NoAccess what="role charter" />;
    return <ErrorBanner title="The role charter could not be loaded" error={charter.error} onRetry={charter.reload} />;
  }
  if (!charter.data) return <Spinner label="Loading the role charter" />;
  const data = charter.data;

  const copy = async () => {
    setCopied(null);
    setCopied((await copyText(data.markdown)) ? 'copied' : 'failed');
  };

  return (
    <article className="srg-stack srg-charter" aria-labelledby="charter-heading">
      <div className="srg-spread">
        <div>
          <h2 id="charter-heading">Role charter for {data.projectKey}</h2>
          <p className="srg-subtle">Who is accountable for what in this Scrum Team, as the project's settings say it. Paste it into the team's wiki, or print it.</p>
        </div>
        <div className="srg-row-center srg-no-print">
          <Button onClick={() => window.print()}>Print</Button>
          <Button onClick={() => void copy()}>Copy as Markdown</Button>
          <Button onClick={() => downloadText(`role-charter-${data.projectKey}.md`, data.markdown, 'text/markdown;charset=utf-8')}>Download Markdown</Button>
        </div>
      </div>
      <div role="status" className="srg-small srg-no-print">
        {copied === 'copied' && 'Copied as Markdown. Paste it into the team’s wiki.'}
        {copied === 'failed' && 'This browser did not let the page copy. Use “Download Markdown” instead.'}
      </div>
      <section className="srg-stack" aria-labelledby="charter-roles-heading">
        <h3 id="charter-roles-heading">Who holds each accountability, and what they decide</h3>
        <div className="srg-grid-2">
          {data.accountabilities.map((role) => (
            <section key={role.role} className="srg-section srg-stack" aria-labelledby={`charter-${role.role}`} style={{ gap: 'var(--srg-space-100)' }}>
              <h4 id={`charter-${role.role}`}>{role.label}</h4>
              <p>
                <span className="srg-label">Held by: </span>
                {role.holders.length === 0 ? <span className="srg-subtle">nobody yet (set it in the project settings)</span> : role.holders.join(', ')}
              </p>
              <div>
                <span className="srg-label">Decides</span>
                {role.decides.length === 0 ? (
                  <p className="srg-small srg-subtle">{NO_DECISIONS[role.role]}</p>
                ) : (
                  <ul className="srg-plain-list srg-charter-decides">
                    {role.decides.map((rule) => (
                      <li key={rule.rule}>
                        {rule.title} <Badge appearance={MODE_APPEARANCE[rule.mode]}>{MODE_LABELS[rule.mode]}</Badge>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </section>
          ))}
        </div>
      </section>
      <section className="srg-stack" aria-labelledby="charter-talk-heading">
        <h3 id="charter-talk-heading">When something goes against a rule, talk to</h3>
        <DataTable
          caption="Whom to talk to, per rule"
          hideCaption
          rows={data.talkTo}
          rowKey={(row) => row.rule}
          columns={[
            { key: 'rule', header: 'When this happens', render: (row) => row.title },
            { key: 'who', header: 'Talk to', render: (row) => row.who },
          ]}
        />
      </section>
    </article>
  );
}
