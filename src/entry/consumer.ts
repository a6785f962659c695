/** The enforcement queue's consumer: judges one queued product event, with the same retries as a trigger. */
import { z } from 'zod';
import { judgeEvent } from '../app/judge';
import { routeEvent } from '../core/routing';
import { container } from './container';
import { withRetry } from './retry';

const queuedSchema = z.object({ body: z.object({ event: z.record(z.string(), z.unknown()) }, { error: 'expected { event } as the queued body' }) });

export async function onQueuedEvent(asyncEvent: unknown): Promise<unknown> {
  const parsed = queuedSchema.safeParse(asyncEvent);
  if (!parsed.success) {
    // A body this app never pushes: retrying would not change it.
    console.warn(`enforcement queue: unreadable job (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
    return { ignored: true };
  }
  const route = routeEvent(parsed.data.body.event);
  return withRetry(asyncEvent, (attempt) => judgeEvent(route, container().enforcement, attempt));
}
