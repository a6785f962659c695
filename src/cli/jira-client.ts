/**
 * A small read-only client for Jira's REST API, for `scrum-guard audit`: basic authentication with
 * an e-mail address and an API token ("Basic auth for REST APIs",
 * https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/), GET requests
 * only, every answer parsed with zod.
 *
 * Rate limits ("Rate limiting", https://developer.atlassian.com/cloud/jira/platform/rate-limiting/):
 * a 429 (and a 503) may carry `Retry-After` in seconds; the request is repeated after that long, or
 * after an exponential back-off when it says nothing. Network failures and 5xx answers are retried
 * a few times, then reported as unreachable.
 */
import { z } from 'zod';
import { formatIssues } from '../core';

/** Wrong e-mail or API token (401). */
export class AuthenticationError extends Error {}
/** 403 or 404 on something the audit needs: no permission, or no such thing. */
export class NotFoundOrForbiddenError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}
/** Jira could not be reached, or kept failing, after the retries. */
export class UnreachableError extends Error {}
/** Any other refusal or an answer that is not what Jira documents. */
export class JiraAnswerError extends Error {}

export interface RetryPolicy {
  /** Attempts for one request in all (the first included). */
  readonly attempts: number;
  /** The first back-off when Jira gives no Retry-After; doubled each time. */
  readonly baseDelayMs: number;
  /** The longest wait accepted from a Retry-After header. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxRetryAfterMs: 120_000 };

export interface JiraClientOptions {
  readonly site: string;
  readonly email: string;
  readonly apiToken: string;
  readonly retry?: RetryPolicy;
  /** Told about each wait (rate limit or retry), for the progress line. */
  readonly onWait?: (reason: string, ms: number) => void;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

export class JiraClient {
  private readonly base: string;
  private readonly authorization: string;
  private readonly retry: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Requests sent, retries included. */
  requests = 0;

  constructor(private readonly options: JiraClientOptions) {
    this.base = options.site.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`, 'utf8').toString('base64')}`;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** GET `path` (with its query) and parse the answer; `null` for 404 when `missingIsNull`. */
  async get<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T>;
  async get<T>(path: string, schema: z.ZodType<T>, what: string, missingIsNull: true): Promise<T | null>;
  async get<T>(path: string, schema: z.ZodType<T>, what: string, missingIsNull = false): Promise<T | null> {
    const url = `${this.base}${path}`;
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      let response: Response;
      try {
        this.requests++;
        response = await this.fetchImpl(url, { method: 'GET', headers: { authorization: this.authorization, accept: 'application/json' } });
      } catch (error) {
        lastProblem = `${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`;
        if (attempt < this.retry.attempts) await this.wait(`network failure (${lastProblem})`, this.backoff(attempt));
        continue;
      }
      if (response.ok) {
        let body: unknown;
        try {
          body = await response.json();
        } catch {
          throw new JiraAnswerError(`Jira's answer to ${what} is not JSON`);
        }
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          throw new JiraAnswerError(`Jira's answer to ${what} is not as documented: ${formatIssues(parsed.error.issues).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
        }
        return parsed.data;
      }
      if (response.status === 401) {
        throw new AuthenticationError(`Jira answered 401: the e-mail address or the API token is wrong (${this.options.email} at ${this.base})`);
      }
      if (response.status === 404 && missingIsNull) return null;
      if (response.status === 403 || response.status === 404) {
        throw new NotFoundOrForbiddenError(response.status, path, `Jira answered ${response.status} to ${what}`);
      }
      if (RETRIED_STATUSES.has(response.status)) {
        lastProblem = `Jira answered ${response.status}`;
        if (attempt < this.retry.attempts) {
          const told = retryAfterMs(response.headers.get('retry-after'));
          const ms = told === null ? this.backoff(attempt) : Math.min(told, this.retry.maxRetryAfterMs);
          await response.body?.cancel().catch(() => undefined);
          await this.wait(response.status === 429 ? 'rate limited by Jira' : `Jira answered ${response.status}`, ms);
        }
        continue;
      }
      const text = await response.text().catch(() => '');
      throw new JiraAnswerError(`Jira answered ${response.status} to ${what}: ${text.slice(0, 300)}`);
    }
    throw new UnreachableError(`could not read ${what} from ${this.base} after ${this.retry.attempts} attempts: ${lastProblem}`);
  }

  private backoff(attempt: number): number {
    return this.retry.baseDelayMs * 2 ** (attempt - 1);
  }

  private async wait(reason: string, ms: number): Promise<void> {
    this.options.onWait?.(reason, ms);
    await this.sleep(ms);
  }
}
