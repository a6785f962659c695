/**
 * Injected failures, for tests of the app's retries: answered before the request is applied. A fault
 * answers 429/500/503 (optionally after a delay, e.g. a slow answer near Forge's 25 s limit), or drops
 * the connection (`status: 'drop'`: the request fails without any answer, as a reset socket does), or
 * answers 200 with a body given by the test (garbage where the app expects Jira's documented answer).
 */
import { z } from 'zod';

const faultSchema = z.object({
  method: z.string({ error: 'expected an HTTP method such as "PUT"' }).optional(),
  pathPattern: z.instanceof(RegExp, { error: 'expected a RegExp matched against the path with its query' }).optional(),
  /** Only requests made by this account (e.g. the app's own account id): people's own actions go through. */
  actor: z.string({ error: 'expected the account id whose requests fail' }).min(1).optional(),
  status: z.union([z.literal(200), z.literal(429), z.literal(500), z.literal(503), z.literal('drop')], {
    error: 'expected the status 429, 500 or 503, "drop" for a dropped connection, or 200 with a body',
  }),
  /** With status 200: the body answered instead of Jira's real answer (any text, JSON or not). */
  body: z.string({ error: 'expected the body as text' }).optional(),
  retryAfterSeconds: z.number({ error: 'expected seconds as a number' }).int().nonnegative().optional(),
  times: z.number({ error: 'expected how many requests to fail, a positive integer' }).int().positive(),
  delayMs: z.number({ error: 'expected a delay in milliseconds' }).int().nonnegative().optional(),
}).refine((f) => (f.status === 200) === (f.body !== undefined), { path: ['body'], error: 'expected a body with status 200, and only then' });

export type FaultSpec = z.input<typeof faultSchema>;

export interface InjectedFault extends z.output<typeof faultSchema> {
  /** Requests still to fail. */
  remaining: number;
  /** Requests this fault has answered so far. */
  hits: number;
}

/** Thrown by the site for a dropped connection: the caller sees a network failure, not an HTTP answer. */
export class ConnectionDropped extends Error {
  constructor(method: string, pathWithQuery: string) {
    super(`socket hang up: the connection was dropped before Jira answered ${method} ${pathWithQuery}`);
    this.name = 'ConnectionDropped';
  }
}

export interface FaultAnswer {
  /** 'drop': no answer at all (the site throws ConnectionDropped after the delay). */
  status: number | 'drop';
  headers: Record<string, string>;
  body: string;
  delayMs: number;
}

const MESSAGES: Record<number, string> = {
  429: 'Rate limit exceeded.',
  500: 'Internal server error.',
  503: 'Service unavailable.',
};

export class FaultInjector {
  private readonly faults: InjectedFault[] = [];
  /**
   * How much of each fault's delay is really waited (0.01: a 24 s slow answer takes 240 ms). Tests
   * that shorten the host's invocation timeout by the same factor keep "near the limit" meaning near it.
   */
  timeScale = 1;

  add(spec: FaultSpec): InjectedFault {
    const parsed = faultSchema.safeParse(spec);
    if (!parsed.success) {
      throw new Error(`invalid fault: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    const fault: InjectedFault = { ...parsed.data, remaining: parsed.data.times, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** Faults that still have requests to fail. */
  pending(): readonly InjectedFault[] {
    return this.faults.filter((f) => f.remaining > 0);
  }

  /** The answer for this request when a fault applies to it (and uses one of the fault's turns). */
  take(method: string, pathWithQuery: string, actorAccountId?: string): FaultAnswer | null {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.actor === undefined || f.actor === actorAccountId) && (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()) && (f.pathPattern === undefined || f.pathPattern.test(pathWithQuery)),
    );
    if (!fault) return null;
    fault.remaining--;
    fault.hits++;
    const delayMs = Math.round((fault.delayMs ?? 0) * this.timeScale);
    if (fault.status === 'drop') return { status: 'drop', headers: {}, body: '', delayMs };
    const headers: Record<string, string> = { 'content-type': 'application/json;charset=UTF-8' };
    // Nothing is applied: the request is answered with the body given, as if Jira had said it.
    if (fault.status === 200) return { status: 200, headers, body: fault.body ?? '', delayMs };
    if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
    if (fault.status === 429) headers['x-ratelimit-reason'] = 'jira-burst-based';
    return { status: fault.status, headers, body: JSON.stringify({ errorMessages: [MESSAGES[fault.status]], errors: {} }), delayMs };
  }
}
