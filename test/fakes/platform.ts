/** The queue and Atlassian's personal data reporting, in memory. */
import { QueueFullError, ReportThrottledError, type AccountReporter, type AccountUpdate, type EventQueue, type HeldAccount } from '../../src/app/ports';

export class FakeQueue implements EventQueue {
  readonly pushed: { body: Record<string, unknown>; concurrencyKey: string | undefined }[] = [];
  /** Refuses the next pushes with this reason (Forge's rate limit, an event too big). */
  refuse: QueueFullError['reason'] | null = null;

  async push(bodies: readonly Record<string, unknown>[], concurrencyKey?: string): Promise<void> {
    if (this.refuse !== null) throw new QueueFullError(bodies, this.refuse === 'too-big' ? 0 : 60, this.refuse);
    for (const body of bodies) this.pushed.push({ body: JSON.parse(JSON.stringify(body)) as Record<string, unknown>, concurrencyKey });
  }

  /** The bodies pushed so far, handed to the consumer: the queue is empty after. */
  take(): Record<string, unknown>[] {
    return this.pushed.splice(0).map((p) => p.body);
  }
}

export class FakeReporter implements AccountReporter {
  readonly asked: HeldAccount[][] = [];
  readonly closed = new Set<string>();
  /** Retry-After seconds of the next 429 answers, in order. */
  readonly throttles: number[] = [];

  async report(accounts: readonly HeldAccount[]): Promise<readonly AccountUpdate[]> {
    if (accounts.length > 90) throw new Error(`personal data reporting takes at most 90 accounts a request, got ${accounts.length}`);
    const wait = this.throttles.shift();
    if (wait !== undefined) throw new ReportThrottledError(wait);
    this.asked.push(accounts.map((a) => ({ ...a })));
    return accounts.filter((a) => this.closed.has(a.accountId)).map((a) => ({ accountId: a.accountId, status: 'closed' as const }));
  }
}
