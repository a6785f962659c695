/** Injected failures, for tests of the app's retries: answered before the request is applied. */
import { z } from 'zod';

const faultSchema = z.object({
  method: z.string({ error: 'expected an HTTP method such as "PUT"' }).optional(),
  pathPattern: z.instanceof(RegExp, { error: 'expected a RegExp matched against the path with its query' }).optional(),
  status: z.union([z.literal(429), z.literal(500), z.literal(503)], { error: 'expected the status 429, 500 or 503' }),
  retryAfterSeconds: z.number({ error: 'expected seconds as a number' }).int().nonnegative().optional(),
  times: z.number({ error: 'expected how many requests to fail, a positive integer' }).int().positive(),
  delayMs: z.number({ error: 'expected a delay in milliseconds' }).int().nonnegative().optional(),
});

export type FaultSpec = z.input<typeof faultSchema>;

export interface InjectedFault extends z.output<typeof faultSchema> {
  /** Requests still to fail. */
  remaining: number;
  /** Requests this fault has answered so far. */
  hits: number;
}

export interface FaultAnswer {
  status: number;
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
  take(method: string, pathWithQuery: string): FaultAnswer | null {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()) && (f.pathPattern === undefined || f.pathPattern.test(pathWithQuery)),
    );
    if (!fault) return null;
    fault.remaining--;
    fault.hits++;
    const headers: Record<string, string> = { 'content-type': 'application/json;charset=UTF-8' };
    if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
    if (fault.status === 429) headers['x-ratelimit-reason'] = 'jira-burst-based';
    return { status: fault.status, headers, body: JSON.stringify({ errorMessages: [MESSAGES[fault.status]], errors: {} }), delayMs: fault.delayMs ?? 0 };
  }
}
