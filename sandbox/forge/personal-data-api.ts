/**
 * Atlassian's personal data reporting API as the local Forge host serves it (`privacy.reportPersonalData`
 * posts to /app/report-accounts as the app): up to 90 accounts a request, each with when the app last
 * stored something about it; the answer names the ones closed since (204 when there are none). Like any
 * Atlassian API it may answer 429 with Retry-After; tests script that with `throttleNext`.
 */
import { z } from 'zod';
import type { ProductResponse } from './host';

/** Accounts per request, as Atlassian documents it (and @forge/api's `privacy` module slices by). */
export const REPORT_ACCOUNTS_LIMIT = 90;

const reportSchema = z.strictObject({
  accounts: z
    .array(z.strictObject({ accountId: z.string().min(1), updatedAt: z.string().datetime({ offset: true }) }))
    .min(1)
    .max(REPORT_ACCOUNTS_LIMIT, { error: `at most ${REPORT_ACCOUNTS_LIMIT} accounts a request` }),
});

function json(status: number, body: unknown, headers: Record<string, string> = {}): ProductResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export class PersonalDataApi {
  /** Accounts Atlassian answers as closed. */
  readonly closedAccounts = new Set<string>();
  /** Every request that was answered 200 or 204: the account ids it reported, in order. */
  readonly reported: string[][] = [];
  /** Requests answered 429. */
  throttled = 0;
  private throttle: { count: number; retryAfterSeconds: number; after: number } | null = null;
  private inFlight = 0;
  /** The most requests that were ever under way at once. */
  maxInFlight = 0;

  /** Answers the next `count` requests (after `after` more have gone through) with 429 and Retry-After. */
  throttleNext(count: number, retryAfterSeconds: number, after = 0): void {
    this.throttle = { count, retryAfterSeconds, after };
  }

  async handle(body: string | undefined): Promise<ProductResponse> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // An answer takes a moment, as a real one does: requests sent together are under way together.
      await new Promise((resolve) => setImmediate(resolve));
      return this.answer(body);
    } finally {
      this.inFlight--;
    }
  }

  private answer(body: string | undefined): ProductResponse {
    let parsed: ReturnType<typeof reportSchema.safeParse>;
    try {
      parsed = reportSchema.safeParse(JSON.parse(body ?? ''));
    } catch {
      return json(400, { message: 'expected a JSON body' });
    }
    if (!parsed.success) return json(400, { message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    if (this.throttle !== null) {
      if (this.throttle.after > 0) this.throttle.after--;
      else if (this.throttle.count > 0) {
        this.throttle.count--;
        this.throttled++;
        return json(429, { message: 'Too many requests' }, { 'retry-after': String(this.throttle.retryAfterSeconds) });
      }
    }
    this.reported.push(parsed.data.accounts.map((a) => a.accountId));
    const answer = parsed.data.accounts.filter((a) => this.closedAccounts.has(a.accountId)).map((a) => ({ accountId: a.accountId, status: 'closed' }));
    if (answer.length === 0) return { status: 204, headers: {}, body: '' };
    return json(200, { accounts: answer });
  }
}
