/**
 * Jira tells the Custom UI on a work item when the work item changed: `events.on('JIRA_ISSUE_CHANGED')`
 * of @forge/bridge, with `{ issueId, projectId, changes: [{ changeType: 'updated' | 'commented',
 * atlassianId }] }` (Forge manifest reference, "Jira issue context", section Events). Jira sends it a
 * moment after the change; the sandbox sends it once the app has seen the change (the host settled),
 * so a panel that reloads on it finds the app's answer.
 *
 * The sandbox's work item page asks for these every second and hands them to its frame.
 */

export interface IssueChangedEvent {
  readonly issueId: string;
  readonly projectId: string;
  readonly changes: readonly { readonly changeType: 'updated' | 'commented'; readonly atlassianId: string }[];
}

interface Published {
  readonly seq: number;
  readonly event: IssueChangedEvent;
}

/** How many published events are kept for pages that poll a little late. */
const KEEP = 500;

export class WorkItemChanges {
  private seq = 0;
  private readonly published: Published[] = [];
  private readonly pending = new Map<string, { projectId: string; atlassianIds: string[] }>();
  private readonly waiters = new Set<() => void>();
  private flushing = false;

  constructor(private readonly settled: () => Promise<void>) {}

  /** A change of the work item `issueId` by `atlassianId`; published once the app has seen it. */
  record(issueId: string, projectId: string, atlassianId: string): void {
    const entry = this.pending.get(issueId) ?? { projectId, atlassianIds: [] };
    if (!entry.atlassianIds.includes(atlassianId)) entry.atlassianIds.push(atlassianId);
    this.pending.set(issueId, entry);
    void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.size > 0) {
        await this.settled();
        const ready = [...this.pending];
        this.pending.clear();
        for (const [issueId, entry] of ready) {
          this.published.push({
            seq: ++this.seq,
            event: { issueId, projectId: entry.projectId, changes: entry.atlassianIds.map((atlassianId) => ({ changeType: 'updated', atlassianId })) },
          });
        }
        if (this.published.length > KEEP) this.published.splice(0, this.published.length - KEEP);
        for (const wake of [...this.waiters]) wake();
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The latest sequence number: where a page that just loaded starts listening. */
  get latest(): number {
    return this.seq;
  }

  /** Events of `issueId` after `after`; waits up to `waitMs` for one when there is none yet. */
  async next(issueId: string, after: number, waitMs: number): Promise<{ seq: number; events: IssueChangedEvent[] }> {
    const found = (): { seq: number; events: IssueChangedEvent[] } => ({
      seq: this.seq,
      events: this.published.filter((p) => p.seq > after && p.event.issueId === issueId).map((p) => p.event),
    });
    const now = found();
    if (now.events.length > 0 || waitMs <= 0) return now;
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        if (found().events.length === 0) return;
        done();
      };
      const timer = setTimeout(() => done(), waitMs);
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
    });
    return found();
  }
}
